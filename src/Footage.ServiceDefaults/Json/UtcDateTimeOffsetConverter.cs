using System.Text.Json;
using System.Text.Json.Serialization;
using Footage.Core.Time;

namespace Footage.ServiceDefaults.Json;

/// <summary>Writes instants as ISO 8601 UTC with a Z; reads any ISO 8601 instant that carries a zone.</summary>
public sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (!Instants.TryParseIso(text, out var value))
        {
            throw new JsonException($"'{text}' is not an ISO 8601 instant with a time zone from 1970 to 9998 (for example 2026-11-24T13:00:00Z).");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Instants.ToIso(value));
}
