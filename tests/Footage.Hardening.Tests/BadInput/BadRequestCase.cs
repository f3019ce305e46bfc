namespace Footage.Hardening.Tests.BadInput;

/// <summary>One generated request: what it tries (<paramref name="Kind"/>) and exactly what goes on the wire.</summary>
public sealed record BadRequestCase(
    string Kind,
    string Method,
    string PathAndQuery,
    byte[]? Body,
    string? ContentType,
    IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public HttpRequestMessage ToRequest()
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), PathAndQuery);
        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Body);
            // as a browser or curl does for a large upload: the server can refuse it before the bytes are sent
            request.Headers.ExpectContinue = Body.Length > 64 * 1024;
            request.Content.Headers.Remove("Content-Type");
            if (ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public override string ToString()
    {
        var body = Body is null ? "" : Body.Length > 300 ? $" body[{Body.Length} bytes]" : $" body {System.Text.Encoding.UTF8.GetString(Body)}";
        var headers = string.Concat(Headers.Select(h => $" {h.Key}: {(h.Value.Length > 80 ? h.Value[..80] + "..." : h.Value)}"));
        var path = PathAndQuery.Length > 300 ? PathAndQuery[..300] + "..." : PathAndQuery;
        return $"[{Kind}] {Method} {path}{headers}{(ContentType is null ? "" : $" ({ContentType})")}{body}";
    }
}
