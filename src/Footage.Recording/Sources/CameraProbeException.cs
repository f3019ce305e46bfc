namespace Footage.Recording.Sources;

/// <summary>The camera could not be asked what it sends: the reason in words an operator acts on (no credentials in it).</summary>
public sealed class CameraProbeException(string message, Exception? inner = null) : Exception(message, inner);
