namespace Footage.Core.Storage;

/// <summary>
/// The object store cannot do what was asked now: it cannot be reached, refuses this service's credentials or denies it
/// the operation, lacks a bucket, or refuses this server's clock. The message says what an operator can do and never
/// the store's address; the cause keeps the details for the log. The web layer answers it with a 503 problem.
/// </summary>
public sealed class ObjectStoreUnavailableException(string message, Exception? cause = null) : Exception(message, cause);
