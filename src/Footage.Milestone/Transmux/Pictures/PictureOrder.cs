namespace Footage.Milestone.Transmux.Pictures;

/// <summary>
/// Where a coded picture stands in display order: its picture order count (POC), which starts again at an IDR picture
/// (<paramref name="Reset"/>); null when the picture's headers could not be read (field coding, an order count type the
/// parser does not follow, a parameter set that never came).
/// </summary>
internal readonly record struct PictureOrder(int? Count, bool Reset)
{
    public static readonly PictureOrder Unknown = new(null, false);
}

/// <summary>Reads the display order of each access unit of an H.264 or H.265 stream, in decode order.</summary>
internal interface IPictureOrderReader
{
    PictureOrder Read(ReadOnlySpan<byte> accessUnit);
}
