using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Footage.Hardening.Tests.Api;

namespace Footage.Hardening.Tests.BadInput;

/// <summary>
/// Generates bad requests for one documented operation: hostile path ids, query values, time ranges and
/// Range headers, malformed or mistyped JSON bodies (built from the operation's own schema, then broken
/// one field at a time), wrong content types and bodies over the size limit.
/// </summary>
public sealed class BadRequestGenerator(ApiSurface surface, SeededIds seeds, long maxBodyBytes)
{
    /// <summary>Query names the API reads by hand (so the document may not list them); every operation gets them.</summary>
    private static readonly string[] CommonQueryNames =
    [
        "from", "to", "at", "after", "limit", "offset", "cursor", "camera_id", "segment_id", "camera", "segment", "include", "hls_time",
        "category", "source", "q", "severity", "status", "type", "created_from", "created_to", "created_by", "assigned_to", "expires", "sig",
    ];

    private static readonly string[] TimeNames = ["from", "to", "at", "after", "created_from", "created_to", "start", "end", "start_time", "end_time"];

    private static readonly string[] NumberNames = ["limit", "offset", "hls_time", "retention_days", "timestamp_offset", "size_bytes", "duration"];

    private static readonly string[] IdNames = ["camera_id", "segment_id", "camera", "segment", "cursor", "id", "tag_id"];

    private static readonly string[] Hostile =
        [.. HostileValues.NotUuids, .. HostileValues.PathTraversal, .. HostileValues.SqlInjection, .. HostileValues.HeaderInjection, .. HostileValues.Miscellaneous];

    private static readonly string[] MalformedJson =
    [
        "", " ", "{", "}", "[", "{\"a\":", "{\"a\":1,}", "{'a':1}", "{a:1}", "nul", "tru", "\"unterminated", "{\"a\":NaN}", "{\"a\":Infinity}",
        "{\"a\":1}{\"b\":2}", "{\"a\":01}", "{\"a\":1e99999}", "{\"a\":-}", "{\"a\":\"\\x41\"}", "{\"a\":\"\\ud800\"}", "{\"name\":\"\\udc00x\"}",
        "{\"a\":\"\u0001\"}", "{\"a\":1 /* comment */}", "// c\n{}", "\uFEFF{}", "{\"a\":[1,2,}", "{\"\":\"\"}", "[]", "1", "-1", "\"x\"", "null",
        "true", "false", "1.5e308", "{\"id\":{\"$ne\":null}}", "{\"__proto__\":{\"admin\":true}}",
        new string('[', 5000) + new string(']', 5000), string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + new string('}', 2000),
    ];

    private static readonly byte[][] MalformedBytes =
    [
        [0xFF, 0xFE, 0x7B, 0x7D], [0xC3, 0x28], [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xE2, 0x28, 0xA1, 0x22, 0x7D], [0x00, 0x00, 0x00], [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, 0x7B, 0x7D],
        [0x7B, 0x22, 0x6E, 0x61, 0x6D, 0x65, 0x22, 0x3A, 0x22, 0xF0, 0x9F, 0x22, 0x7D],
    ];

    private static readonly string?[] WrongContentTypes =
    [
        null, "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-7",
        "application/json; charset=bogus", "application/json; charset=utf-16", "*/*", "application/json, text/plain", "application/problem+json", "application",
    ];

    public Gen<BadRequestCase> For(ApiOperation operation)
    {
        var kinds = new List<(int, IGen<BadRequestCase>)>
        {
            (3, QueryCase(operation)),
            (3, TimeRangeCase(operation)),
            (2, HeaderCase(operation)),
        };
        if (operation.PathParameterNames.Any())
        {
            kinds.Add((4, PathCase(operation)));
        }

        if (operation.Method is "POST" or "PUT" or "PATCH" || operation.BodySchema is not null)
        {
            kinds.Add((4, MalformedBodyCase(operation)));
            kinds.Add((6, MutatedBodyCase(operation)));
            kinds.Add((1, WrongContentTypeCase(operation)));
            kinds.Add((1, HugeBodyCase(operation)));
        }

        return Gen.Frequency(kinds.ToArray());
    }

    private Gen<string> PathWith(ApiOperation operation, string? hostileParameter, Gen<string> hostile, bool escape = true) =>
        Sequence(operation.PathParameterNames.Select(p => p == hostileParameter ? hostile : Gen.OneOf(seeds.For(operation.PathTemplate, p).ToArray())))
            .Select(values =>
            {
                var names = operation.PathParameterNames.ToArray();
                var path = operation.PathTemplate;
                for (var i = 0; i < names.Length; i++)
                {
                    var value = escape || names[i] != hostileParameter ? Uri.EscapeDataString(values[i]) : values[i];
                    path = path.Replace("{" + names[i] + "}", value, StringComparison.Ordinal);
                }

                return path.TrimStart('/');
            });

    private Gen<BadRequestCase> PathCase(ApiOperation operation)
    {
        var names = operation.PathParameterNames.ToArray();
        var hostile = Gen.Frequency(
            (6, Gen.OneOf(Hostile)),
            (2, Gen.Guid.Select(g => g.ToString())),
            (1, Gen.Guid.Select(g => g.ToString("N").ToUpperInvariant())),
            (1, Gen.Const(Guid.Empty.ToString())));
        return Gen.OneOf(names).SelectMany(name => Gen.Bool.SelectMany(escape =>
            PathWith(operation, name, hostile, escape).Select(path => Case("path:" + name, operation, path))));
    }

    private Gen<BadRequestCase> QueryCase(ApiOperation operation)
    {
        var documented = operation.Parameters.Where(p => p.In == "query").Select(p => p.Name);
        var names = documented.Concat(CommonQueryNames).Distinct(StringComparer.Ordinal).ToArray();
        var pair = Gen.OneOf(names).SelectMany(name => ValueFor(name).Select(value => (name, value)));
        return Gen.Select(PathWith(operation, null, Gen.Const("")), pair.Array[1, 4], (path, pairs) =>
            Case("query", operation, path + "?" + string.Join('&', pairs.Select(p => $"{p.name}={Uri.EscapeDataString(p.value)}"))));
    }

    private Gen<BadRequestCase> TimeRangeCase(ApiOperation operation)
    {
        var documented = operation.Parameters.Where(p => p.In == "query").Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var (fromName, toName) = documented.Contains("created_from") && !documented.Contains("from") ? ("created_from", "created_to") : ("from", "to");
        var start = seeds.FootageStart;
        var end = seeds.FootageEnd;
        (string? From, string? To)[] ranges =
        [
            (Iso(end), Iso(start)), (Iso(start), Iso(start)), (Iso(start.AddTicks(1)), Iso(start)), ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"),
            (Iso(start.AddYears(-100)), Iso(end.AddYears(100))), (Iso(start.AddYears(-50)), null), (null, Iso(end.AddYears(50))), ("9999-12-31T23:59:59Z", null),
            (Iso(start), "9999-12-31T23:59:59.9999999Z"), ("0001-01-01T00:00:00Z", Iso(end)), (Iso(start), Iso(start.AddDays(3650))),
            (Iso(start.ToOffset(TimeSpan.FromHours(14))), Iso(end.ToOffset(TimeSpan.FromHours(-12)))), (Iso(end.AddSeconds(-1)), Iso(start.AddSeconds(1))),
            ("1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z"),
        ];
        return Gen.Select(PathWith(operation, null, Gen.Const("")), Gen.OneOf(ranges), Gen.OneOf(seeds.For("/cameras/{id}", "id").ToArray()), (path, range, camera) =>
        {
            var query = new List<string> { $"camera_id={camera}" };
            if (range.From is not null)
            {
                query.Add($"{fromName}={Uri.EscapeDataString(range.From)}");
            }

            if (range.To is not null)
            {
                query.Add($"{toName}={Uri.EscapeDataString(range.To)}");
            }

            return Case("time-range", operation, path + "?" + string.Join('&', query));
        });
    }

    private Gen<BadRequestCase> HeaderCase(ApiOperation operation)
    {
        var headers = Gen.Frequency(
            (6, Gen.OneOf(HostileValues.RangeHeaders).Select(v => new KeyValuePair<string, string>("Range", v))),
            (1, Gen.OneOf(HostileValues.RangeHeaders).Select(v => new KeyValuePair<string, string>("If-Range", v))),
            (1, Gen.OneOf("*", "\"x\"", "W/\"", "\"" + new string('a', 5000) + "\"", "x, y, z").Select(v => new KeyValuePair<string, string>("If-None-Match", v))),
            (1, Gen.OneOf(HostileValues.BadInstants).Select(v => new KeyValuePair<string, string>("If-Modified-Since", v))),
            (1, Gen.OneOf("text/html", "application/xml", "*/*;q=abc", "image/png", "", "application/json;q=0").Select(v => new KeyValuePair<string, string>("Accept", v))),
            (1, Gen.OneOf("gzip;q=NaN", "br, deflate, x", new string('x', 4000)).Select(v => new KeyValuePair<string, string>("Accept-Encoding", v))));
        return Gen.Select(PathWith(operation, null, Gen.Const("")), headers.Array[1, 3], (path, list) => Case("header", operation, path, headers: list));
    }

    private Gen<BadRequestCase> MalformedBodyCase(ApiOperation operation) =>
        Gen.Select(
            PathWith(operation, null, Gen.Const("")),
            Gen.Frequency((6, Gen.OneOf(MalformedJson).Select(Encoding.UTF8.GetBytes)), (1, Gen.OneOf(MalformedBytes))),
            (path, body) => Case("malformed-json", operation, path, body, "application/json"));

    private Gen<BadRequestCase> MutatedBodyCase(ApiOperation operation)
    {
        var template = Template(operation.BodySchema, "body", 0);
        var fields = template is JsonObject o ? o.Select(p => p.Key).ToArray() : [];
        var mutation = Gen.Frequency(
            (5, Gen.OneOf(Hostile).Select(v => (JsonNode?)JsonValue.Create(v))),
            (3, Gen.OneOf(HostileValues.BadInstants).Select(v => (JsonNode?)JsonValue.Create(v))),
            (3, Gen.OneOf<Func<JsonNode?>>(
                () => null, () => JsonValue.Create(-1), () => JsonValue.Create(0), () => JsonValue.Create(long.MaxValue), () => JsonValue.Create(long.MinValue),
                () => JsonValue.Create(1.5), () => JsonValue.Create(double.MaxValue), () => JsonValue.Create(true), () => new JsonArray(), () => new JsonObject(),
                () => new JsonArray(JsonValue.Create(1), JsonValue.Create("x")), () => JsonValue.Create(""), () => JsonValue.Create(new string('x', 100_000)),
                () => new JsonArray(Enumerable.Range(0, 20_000).Select(i => (JsonNode?)JsonValue.Create(Guid.NewGuid())).ToArray())).Select(f => f())),
            (2, Gen.Guid.Select(g => (JsonNode?)JsonValue.Create(g.ToString()))),
            (1, Gen.OneOf(HostileValues.BadNumbers).Select(v => (JsonNode?)JsonValue.Create(v))));
        string[] names = fields.Length == 0 ? ["unexpected"] : [.. fields, "unexpected"];
        var edit = Gen.Select(Gen.OneOf(names), mutation, Gen.Int[0, 9], (field, value, how) => (field, value, how));
        return Gen.Select(PathWith(operation, null, Gen.Const("")), edit.Array[1, 3], (path, edits) =>
        {
            var body = template?.DeepClone() ?? new JsonObject();
            if (body is JsonObject obj)
            {
                foreach (var (field, value, how) in edits)
                {
                    if (how == 0)
                    {
                        obj.Remove(field); // a required field left out
                    }
                    else if (how == 1 && obj[field] is JsonArray array)
                    {
                        array.Add(value?.DeepClone()); // a bad element in a list
                    }
                    else
                    {
                        obj[field] = value?.DeepClone();
                    }
                }
            }

            var text = body.ToJsonString();
            if (edits.Any(e => e.how == 9) && body is JsonObject { Count: > 0 } withFields)
            {
                // the same field twice: the last one wins or it is refused, never a 500
                var first = withFields.First();
                text = text.Insert(1, $"{JsonSerializer.Serialize(first.Key)}:\"dup\",");
            }

            return Case("mutated-body", operation, path, Encoding.UTF8.GetBytes(text), "application/json");
        });
    }

    private Gen<BadRequestCase> WrongContentTypeCase(ApiOperation operation)
    {
        var body = Encoding.UTF8.GetBytes((Template(operation.BodySchema, "body", 0) ?? new JsonObject()).ToJsonString());
        return Gen.Select(PathWith(operation, null, Gen.Const("")), Gen.OneOf(WrongContentTypes), (path, type) => Case("content-type", operation, path, body, type));
    }

    private Gen<BadRequestCase> HugeBodyCase(ApiOperation operation) =>
        Gen.Select(PathWith(operation, null, Gen.Const("")), Gen.Int[0, 2], (path, which) =>
        {
            var body = which switch
            {
                0 => Encoding.UTF8.GetBytes("{\"name\":\"" + new string('x', (int)maxBodyBytes + 10) + "\"}"),
                1 => Encoding.UTF8.GetBytes("[" + string.Join(',', Enumerable.Repeat("0", (int)(maxBodyBytes / 2) - 10)) + "]"),
                _ => Encoding.UTF8.GetBytes("{\"name\":\"" + new string('x', (int)(maxBodyBytes / 2)) + "\"}"),
            };
            return Case("huge-body", operation, path, body, "application/json");
        });

    private Gen<string> ValueFor(string name)
    {
        var hostile = Gen.OneOf(Hostile);
        if (TimeNames.Contains(name))
        {
            return Gen.Frequency((3, Gen.OneOf(HostileValues.BadInstants)), (1, hostile), (1, Gen.Const(Iso(seeds.FootageStart))));
        }

        if (NumberNames.Contains(name))
        {
            return Gen.Frequency((3, Gen.OneOf(HostileValues.BadNumbers)), (1, hostile));
        }

        if (IdNames.Contains(name))
        {
            return Gen.Frequency((3, Gen.OneOf(HostileValues.NotUuids)), (1, hostile), (1, Gen.OneOf(seeds.All.ToArray())), (1, Gen.Guid.Select(g => g.ToString())));
        }

        return hostile;
    }

    /// <summary>A plausible value for a schema, with the fixture's real ids and times, to be broken afterwards.</summary>
    private JsonNode? Template(JsonElement? schemaOrNull, string name, int depth)
    {
        if (schemaOrNull is not { } raw || depth > 4)
        {
            return null;
        }

        var schema = surface.Resolve(raw);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (schema.TryGetProperty("enum", out var values) && values.GetArrayLength() > 0)
        {
            return JsonNode.Parse(values[0].GetRawText());
        }

        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        switch (ApiSurface.TypeOf(schema))
        {
            case "object":
                var result = new JsonObject();
                if (schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        result[property.Name] = Template(property.Value, property.Name, depth + 1);
                    }
                }

                return result;
            case "array":
                return new JsonArray(schema.TryGetProperty("items", out var items) ? Template(items, name.TrimEnd('s'), depth + 1) : null);
            case "integer":
                return JsonValue.Create(name.Contains("days", StringComparison.Ordinal) ? 30 : 1);
            case "number":
                return JsonValue.Create(1.0);
            case "boolean":
                return JsonValue.Create(true);
            case "string" when format == "uuid" || name.EndsWith("_id", StringComparison.Ordinal) || name == "id":
                var ids = seeds.For("/", name);
                return JsonValue.Create(ids.Count > 0 ? ids[0] : Guid.NewGuid().ToString());
            case "string" when format == "date-time" || TimeNames.Contains(name):
                return JsonValue.Create(Iso(name.Contains("end", StringComparison.Ordinal) || name == "to" ? seeds.FootageEnd : seeds.FootageStart));
            case "string":
                return JsonValue.Create("hardening");
            default:
                return null;
        }
    }

    private static Gen<IReadOnlyList<string>> Sequence(IEnumerable<Gen<string>> gens) =>
        gens.Aggregate(Gen.Const<IReadOnlyList<string>>([]), (all, next) => all.SelectMany(list => next.Select(value => (IReadOnlyList<string>)[.. list, value])));

    private static string Iso(DateTimeOffset instant) => instant.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    private static BadRequestCase Case(string kind, ApiOperation operation, string path, byte[]? body = null, string? contentType = null, IReadOnlyList<KeyValuePair<string, string>>? headers = null) =>
        new(kind, operation.Method, path, body, contentType, headers ?? []);
}
