namespace Footage.Server;

/// <summary><c>Footage:Modules</c>: which modules this process runs (comma-separated); all four by default.</summary>
public sealed record FootageModules(bool Storage, bool Recording, bool Metadata, bool Playback)
{
    public const string Key = "Footage:Modules";
    public const string All = "storage,recording,metadata,playback";

    public bool IsAll => Storage && Recording && Metadata && Playback;

    public static FootageModules Parse(string? value)
    {
        var names = (string.IsNullOrWhiteSpace(value) ? All : value)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant())
            .ToHashSet();
        var unknown = names.Except(All.Split(',')).ToArray();
        if (unknown.Length > 0 || names.Count == 0)
        {
            throw new InvalidOperationException($"{Key} names unknown modules ({string.Join(", ", unknown)}); use any of: {All}.");
        }

        return new FootageModules(names.Contains("storage"), names.Contains("recording"), names.Contains("metadata"), names.Contains("playback"));
    }
}
