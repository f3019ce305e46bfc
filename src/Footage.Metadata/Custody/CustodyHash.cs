using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Footage.Core.Time;

namespace Footage.Metadata.Custody;

/// <summary>
/// The hash of a custody entry: SHA-256 (lower-case hex) over a canonical JSON array of
/// [incident_id, sequence, action, actor, occurred_at (ISO 8601 UTC), details (canonical JSON), previous_hash].
/// Canonical JSON has object keys sorted by ordinal and no whitespace, so the same entry always hashes the same.
/// Hand-written because it is a few lines and must never change with a library's formatting.
/// </summary>
public static class CustodyHash
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Compute(Guid incidentId, int sequence, string action, string actor, DateTimeOffset occurredAt, string canonicalDetails, string previousHash)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(incidentId.ToString("D"));
            writer.WriteNumberValue(sequence);
            writer.WriteStringValue(action);
            writer.WriteStringValue(actor);
            writer.WriteStringValue(Instants.ToIso(occurredAt));
            writer.WriteStringValue(canonicalDetails);
            writer.WriteStringValue(previousHash);
            writer.WriteEndArray();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    public static string Canonical(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            Write(writer, node);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
