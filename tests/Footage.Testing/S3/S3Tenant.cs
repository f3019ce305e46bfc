namespace Footage.Testing;

/// <summary>
/// The product's three service identities in one tenant of the gateway. A tenant has its own bucket names, so each
/// tenant can hold the spec's four buckets (cctv-recordings, ...) apart from every other tenant's. <paramref name="Owner"/>,
/// when there is one, owns the buckets (as MinIO's root user or an operator's AWS account would) and the three identities
/// have only what the deployment's policies give them.
/// </summary>
public sealed record S3Tenant(string? Name, S3User Storage, S3User Recording, S3User Playback, S3User? Owner = null)
{
    public IReadOnlyList<S3User> Users => [Storage, Recording, Playback];
}
