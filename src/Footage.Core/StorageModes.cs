namespace Footage.Core;

/// <summary>Wire names of <see cref="StorageMode"/> as the spec writes them (upper case).</summary>
public static class StorageModes
{
    public static string ToWire(StorageMode mode) => mode switch
    {
        StorageMode.Local => "LOCAL",
        StorageMode.Milestone => "MILESTONE",
        StorageMode.Both => "BOTH",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static bool TryParse(string? value, out StorageMode mode)
    {
        switch (value?.Trim().ToUpperInvariant())
        {
            case "LOCAL": mode = StorageMode.Local; return true;
            case "MILESTONE": mode = StorageMode.Milestone; return true;
            case "BOTH": mode = StorageMode.Both; return true;
            default: mode = default; return false;
        }
    }

    public const string Allowed = "LOCAL, MILESTONE, BOTH";
}
