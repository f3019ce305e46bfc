using Amazon.Runtime;
using Amazon.S3;

namespace Footage.Storage.Backends;

/// <summary>The one place where the product's S3 client is configured, for objects and for bucket administration alike.</summary>
public static class S3ClientFactory
{
    private static readonly S3HttpClientFactory HttpClients = new();

    public static AmazonS3Client Create(S3BackendOptions options) =>
        new(new BasicAWSCredentials(options.AccessKey ?? string.Empty, options.SecretKey ?? string.Empty), new AmazonS3Config
        {
            ServiceURL = options.ServiceUrl,
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            // Chosen, not left to the SDK's default (WHEN_SUPPORTED since 2025): that default sends every upload as an
            // aws-chunked body with a trailing CRC32, which strict S3 servers that do not know trailers (Ceph RGW, older
            // MinIO and others) refuse with 400 XAmzContentSHA256Mismatch. With WHEN_REQUIRED a checksum goes only where
            // the API demands one (lifecycle, legal hold, multi-delete: Content-MD5), and each upload carries its own
            // Content-MD5, checked by every S3 server; our SHA-256 of the content is kept as object metadata besides.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromSeconds(60),
            // network errors, 5xx and throttling only: a refused signature or permission (403) is never retried
            MaxErrorRetry = 2,
            HttpClientFactory = HttpClients,
        });
}
