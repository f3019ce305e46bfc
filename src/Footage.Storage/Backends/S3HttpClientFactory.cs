using Amazon.Runtime;

namespace Footage.Storage.Backends;

/// <summary>
/// The S3 client's HTTP connections, without <c>Expect: 100-continue</c> on uploads. The SDK asks for it on every PUT;
/// .NET sends the body anyway once a second has passed without an answer, and a server that has meanwhile refused the
/// upload without reading its body (Ceph RGW does, for a 403 or a missing bucket) then reads that body as the next
/// request on the connection, so the next call gets an answer meant for garbage (400, 405). Without the header every
/// server reads (or discards) the body before it answers, and a connection stays in step. The cost: a refused upload
/// sends its body for nothing.
/// </summary>
public sealed class S3HttpClientFactory : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
#pragma warning disable CA2000 // the HttpClient owns (and disposes) its handlers
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50),
            // the SDK's own client does the same: HTTP(S)_PROXY and NO_PROXY apply, loopback never goes through a proxy
            UseProxy = true,
        };
        return new HttpClient(new WithoutExpectContinue(handler)) { Timeout = clientConfig.Timeout ?? TimeSpan.FromSeconds(100) };
#pragma warning restore CA2000
    }

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public override string GetConfigUniqueString(IClientConfig clientConfig) => $"footage-s3:{clientConfig.Timeout}";

    private sealed class WithoutExpectContinue(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.ExpectContinue = false;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
