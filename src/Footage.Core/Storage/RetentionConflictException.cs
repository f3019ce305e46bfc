namespace Footage.Core.Storage;

/// <summary>
/// A retention asked for cannot be kept as things stand (the object store expires recordings sooner); nothing was
/// changed, and the message says what an administrator must do first. The web layer answers it with a 409 problem.
/// </summary>
public sealed class RetentionConflictException(string message) : Exception(message);
