using System.Text.Json;

namespace Footage.Hardening.Tests.Api;

/// <summary>One method on one path of the host's OpenAPI document, with what it says about its inputs.</summary>
public sealed record ApiOperation(string Method, string PathTemplate, IReadOnlyList<ApiParameter> Parameters, JsonElement? BodySchema)
{
    /// <summary>The key of the role table and of test output: <c>POST /api/v1/cameras</c>.</summary>
    public string Key => $"{Method} {PathTemplate}";

    public IEnumerable<string> PathParameterNames =>
        PathTemplate.Split('/').Where(s => s.StartsWith('{') && s.EndsWith('}')).Select(s => s[1..^1]);

    public bool ChangesState => Method is not ("GET" or "HEAD" or "OPTIONS");

    public override string ToString() => Key;
}

/// <summary>A documented parameter (<c>in</c> is path, query or header) and its schema type, if the document says.</summary>
public sealed record ApiParameter(string Name, string In, string? Type, string? Format);
