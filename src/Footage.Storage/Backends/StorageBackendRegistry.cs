using Footage.Core.Storage;

namespace Footage.Storage.Backends;

/// <summary>The backends enabled by configuration, each instrumented, and the default one.</summary>
public sealed class StorageBackendRegistry : IStorageBackendRegistry
{
    private readonly Dictionary<string, IStorageBackend> _backends;

    public StorageBackendRegistry(IEnumerable<IStorageBackend> backends, string defaultName)
    {
        _backends = backends.ToDictionary(b => b.Name, b => (IStorageBackend)InstrumentedBackend.For(b), StringComparer.Ordinal);
        if (!_backends.TryGetValue(defaultName, out var fallback))
        {
            throw new InvalidOperationException(
                $"Footage:Storage:DefaultBackend is '{defaultName}', but the enabled backends are: {string.Join(", ", _backends.Keys)}.");
        }

        Default = fallback;
    }

    public IReadOnlyCollection<string> Names => _backends.Keys;

    public IStorageBackend Default { get; }

    public bool TryGet(string name, out IStorageBackend backend) => _backends.TryGetValue(name, out backend!);

    public IStorageBackend Get(string name) =>
        _backends.TryGetValue(name, out var backend)
            ? backend
            : throw new InvalidOperationException($"Storage backend '{name}' is not enabled on this host.");
}
