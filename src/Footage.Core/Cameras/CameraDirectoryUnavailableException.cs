namespace Footage.Core.Cameras;

/// <summary>
/// The camera directory (a VMS over HTTP) cannot give cameras now: a recorder retries, and the web layer answers
/// whoever asked with a 503 problem carrying the message.
/// </summary>
public sealed class CameraDirectoryUnavailableException(string message, Exception? cause = null) : Exception(message, cause);
