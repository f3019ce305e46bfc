namespace Footage.Core.Storage;

/// <summary>The configured backends by name, and the one new footage goes to by default.</summary>
public interface IStorageBackendRegistry
{
    IReadOnlyCollection<string> Names { get; }

    IStorageBackend Default { get; }

    bool TryGet(string name, out IStorageBackend backend);

    IStorageBackend Get(string name);
}
