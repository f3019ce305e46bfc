namespace Footage.Storage.Exports;

/// <summary>An export cannot be made for a reason the requester should read (no footage, a corrupt segment).</summary>
public sealed class ExportFailedException(string message) : Exception(message);
