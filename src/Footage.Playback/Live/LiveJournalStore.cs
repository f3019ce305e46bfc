using System.Text.Json;
using Footage.Playback.Caching;

namespace Footage.Playback.Live;

/// <summary>
/// Keeps each camera's <see cref="LiveJournal"/> (per chunk length) in the playback cache, so that every viewer and every playback
/// node lists the same chunks under the same numbers. Writes are compare-and-swap: two nodes advancing the same journal at once
/// cannot both append. A journal that has not changed for <see cref="Idle"/> (nobody watched, or the camera stopped) expires; the
/// next viewer starts a new one, numbered from the clock (tenths of a second since 1970) so that its numbers are past any an
/// earlier one handed out.
/// </summary>
public sealed class LiveJournalStore(IPlaybackCache cache)
{
    public static readonly TimeSpan Idle = TimeSpan.FromHours(24);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record Loaded(LiveJournal? Journal, byte[]? Raw);

    public async Task<Loaded> LoadAsync(Guid cameraId, int targetSeconds, CancellationToken cancellationToken)
    {
        var raw = await cache.GetAsync(Key(cameraId, targetSeconds), cancellationToken);
        if (raw is null)
        {
            return new Loaded(null, null);
        }

        try
        {
            return new Loaded(JsonSerializer.Deserialize<LiveJournal>(raw, Json), raw);
        }
        catch (JsonException)
        {
            return new Loaded(null, raw); // written by another version: replaced by a new journal
        }
    }

    /// <summary>Saves <paramref name="journal"/> if the stored one is still <paramref name="loaded"/>; false when another writer came first.</summary>
    public Task<bool> SaveAsync(Guid cameraId, int targetSeconds, Loaded loaded, LiveJournal journal, TimeSpan window, CancellationToken cancellationToken) =>
        cache.SwapAsync(Key(cameraId, targetSeconds), loaded.Raw, JsonSerializer.SerializeToUtf8Bytes(journal, Json), window + Idle, cancellationToken);

    public static long FirstSequenceAt(DateTimeOffset now) => now.ToUnixTimeMilliseconds() / 100;

    private static string Key(Guid cameraId, int targetSeconds) => $"live-journal:{cameraId:N}:{targetSeconds}";
}
