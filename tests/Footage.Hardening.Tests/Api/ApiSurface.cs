using System.Net.Http.Json;
using System.Text.Json;

namespace Footage.Hardening.Tests.Api;

/// <summary>
/// Every operation the running host documents in <c>/openapi/v1.json</c>: the suites enumerate this, so an
/// endpoint added later is covered (and must be given a role) without anyone remembering to add it.
/// </summary>
public sealed class ApiSurface
{
    private ApiSurface(IReadOnlyList<ApiOperation> operations, JsonElement document)
    {
        Operations = operations;
        Document = document;
    }

    public IReadOnlyList<ApiOperation> Operations { get; }

    public JsonElement Document { get; }

    public static async Task<ApiSurface> ReadAsync(HttpClient client)
    {
        var document = await client.GetFromJsonAsync<JsonElement>("openapi/v1.json");
        var operations = new List<ApiOperation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject())
            {
                if (method.Name is "parameters" or "summary" or "description" or "servers")
                {
                    continue;
                }

                var parameters = new List<ApiParameter>();
                if (method.Value.TryGetProperty("parameters", out var list))
                {
                    foreach (var p in list.EnumerateArray())
                    {
                        var schema = p.TryGetProperty("schema", out var s) ? Resolve(document, s) : default;
                        parameters.Add(new ApiParameter(
                            p.GetProperty("name").GetString()!,
                            p.GetProperty("in").GetString()!,
                            TypeOf(schema),
                            schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var f) ? f.GetString() : null));
                    }
                }

                JsonElement? body = null;
                if (method.Value.TryGetProperty("requestBody", out var requestBody) &&
                    requestBody.TryGetProperty("content", out var content))
                {
                    foreach (var media in content.EnumerateObject())
                    {
                        if (media.Value.TryGetProperty("schema", out var bodySchema))
                        {
                            body = Resolve(document, bodySchema);
                            break;
                        }
                    }
                }

                operations.Add(new ApiOperation(method.Name.ToUpperInvariant(), path.Name, parameters, body));
            }
        }

        return new ApiSurface(operations.OrderBy(o => o.PathTemplate, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal).ToArray(), document);
    }

    /// <summary>Follows <c>$ref</c> into <c>#/components/schemas</c>.</summary>
    public JsonElement Resolve(JsonElement schema) => Resolve(Document, schema);

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        for (var depth = 0; depth < 16 && schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference); depth++)
        {
            var name = reference.GetString()!.Split('/')[^1];
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }

        return schema;
    }

    /// <summary>The JSON type of a schema; OpenAPI 3.1 writes nullable ones as <c>["null", "string"]</c>.</summary>
    public static string? TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type))
        {
            return null;
        }

        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null")
            : type.GetString();
    }
}
