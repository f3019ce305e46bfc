namespace Footage.Testing;

/// <summary>An S3 user of the test gateway with its random keys; <paramref name="Tenant"/> null is the default tenant.</summary>
public sealed record S3User(string? Tenant, string Name, string AccessKey, string SecretKey)
{
    /// <summary>How a bucket policy names this user.</summary>
    public string Principal => $"arn:aws:iam::{Tenant}:user/{Name}";

    public override string ToString() => Tenant is null ? Name : $"{Tenant}${Name}";
}
