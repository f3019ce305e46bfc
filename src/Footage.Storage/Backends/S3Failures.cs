using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Footage.Core.Storage;

namespace Footage.Storage.Backends;

/// <summary>
/// What an S3 failure means to whoever asked, as an <see cref="ObjectStoreUnavailableException"/> (a 503 problem at the web layer) that an operator can act on: the store cannot be reached,
/// it refuses this service's credentials, or it denies this service an operation. The store's address is never in the
/// message (the cause, logged with the 503, keeps the details).
/// </summary>
public static class S3Failures
{
    public static bool IsUnreachable(Exception e, CancellationToken cancellationToken) => e switch
    {
        HttpRequestException or System.Net.Sockets.SocketException => true,
        AmazonServiceException { InnerException: HttpRequestException or System.Net.Sockets.SocketException or IOException } => true,
        AmazonServiceException s => (int)s.StatusCode >= 500,
        OperationCanceledException => !cancellationToken.IsCancellationRequested, // the client's own timeout
        _ => false,
    };

    /// <summary>A wrong access key or secret: no retry helps until the configuration is corrected.</summary>
    public static bool IsCredentialsRefused(Exception e) =>
        e is AmazonS3Exception { ErrorCode: "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "InvalidToken" or "ExpiredToken" or "InvalidClientTokenId" };

    /// <summary>A 403 other than refused credentials: this identity may not do what was asked (or, from a HEAD, which has no body to say more, its credentials may be wrong).</summary>
    public static bool IsAccessDenied(Exception e) =>
        e is AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden } && !IsCredentialsRefused(e);

    private static bool SaysWhy(AmazonS3Exception e) => e.ErrorCode is { Length: > 0 } code && code != "Forbidden" && !code.StartsWith("403", StringComparison.Ordinal);

    /// <summary>Whether <see cref="Unavailable"/> has something to say about <paramref name="e"/>.</summary>
    public static bool IsKnown(Exception e, CancellationToken cancellationToken) =>
        IsUnreachable(e, cancellationToken) || IsCredentialsRefused(e) || IsAccessDenied(e) || e is AmazonS3Exception { ErrorCode: "NoSuchBucket" or "RequestTimeTooSkewed" };

    public static ObjectStoreUnavailableException Unavailable(Exception e, string operation, string bucket) => e switch
    {
        AmazonS3Exception { ErrorCode: "SignatureDoesNotMatch" } => new ObjectStoreUnavailableException(
            "The object store refused this service's S3 secret key (SignatureDoesNotMatch); an administrator must correct Footage:Storage:S3:SecretKey.", e),
        AmazonS3Exception s when IsCredentialsRefused(s) => new ObjectStoreUnavailableException(
            $"The object store does not know this service's S3 access key ({s.ErrorCode}); an administrator must correct Footage:Storage:S3:AccessKey.", e),
        AmazonS3Exception s when IsAccessDenied(s) && SaysWhy(s) => new ObjectStoreUnavailableException(
            $"The object store denies this service's S3 identity {operation} in {bucket} ({s.ErrorCode}); an administrator must grant it.", e),
        AmazonS3Exception s when IsAccessDenied(s) => new ObjectStoreUnavailableException(
            $"The object store refused {operation} in {bucket} (403 without a reason): either this service's S3 credentials are wrong " +
            "(Footage:Storage:S3:AccessKey, Footage:Storage:S3:SecretKey) or its identity lacks the permission; the health entry storage_backends says which.", e),
        AmazonS3Exception { ErrorCode: "NoSuchBucket" } => new ObjectStoreUnavailableException(
            $"The bucket {bucket} does not exist yet: the Storage service creates it at start (Footage:Storage:S3:CreateBuckets); try again later.", e),
        AmazonS3Exception { ErrorCode: "RequestTimeTooSkewed" } => new ObjectStoreUnavailableException(
            "The object store refuses requests because this server's clock differs too much from its own; synchronise the clocks (NTP).", e),
        _ => new ObjectStoreUnavailableException("The object store cannot be reached; try again later.", e),
    };
}
