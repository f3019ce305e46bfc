namespace Footage.Milestone.Transmux.Pictures;

/// <summary>The NAL units of an Annex-B access unit (each without its start code), found by their 0x00 0x00 0x01 start codes.</summary>
internal static class NalUnits
{
    public static List<(int Offset, int Length)> Of(ReadOnlySpan<byte> accessUnit)
    {
        ReadOnlySpan<byte> startCode = [0, 0, 1];
        var units = new List<(int Offset, int Length)>();
        var at = accessUnit.IndexOf(startCode);
        while (at >= 0)
        {
            var start = at + 3;
            var next = accessUnit[start..].IndexOf(startCode);
            var end = next < 0 ? accessUnit.Length : start + next;
            var length = end - start;
            // the zero before a four-byte start code belongs to the next start code, not to this unit
            while (next >= 0 && length > 0 && accessUnit[start + length - 1] == 0)
            {
                length--;
            }

            if (length > 0)
            {
                units.Add((start, length));
            }

            at = next < 0 ? -1 : end;
        }

        return units;
    }
}
