using System.Globalization;
using System.Text;

namespace Footage.Playback.Renditions;

/// <summary>
/// The RFC 6381 codecs of an MPEG-TS file from its first bytes, for a master playlist's <c>CODECS</c> (with which a player picks
/// a rendition it can decode): the PMT gives the video and audio stream types, the video's sequence parameter set gives the H.264
/// profile and level (<c>avc1.PPCCLL</c>) or the H.265 profile, tier and level (<c>hvc1...</c>, ISO/IEC 14496-15 annex E). Pure.
/// </summary>
public static class CodecProbe
{
    private const int PacketSize = 188;

    public sealed record Codecs(string Video, bool Hevc, bool Aac)
    {
        public override string ToString() => Aac ? Video + ",mp4a.40.2" : Video;
    }

    public static Codecs? Probe(ReadOnlySpan<byte> ts)
    {
        int? pmtPid = null, videoPid = null;
        int videoType = 0;
        var aac = false;
        var es = new List<byte>();
        for (var at = 0; at + PacketSize <= ts.Length; at += PacketSize)
        {
            var p = ts.Slice(at, PacketSize);
            if (p[0] != 0x47)
            {
                return null;
            }

            var pusi = (p[1] & 0x40) != 0;
            var pid = ((p[1] & 0x1F) << 8) | p[2];
            var adaptation = (p[3] >> 4) & 0x3;
            var start = adaptation is 2 or 3 ? 5 + p[4] : 4;
            if (adaptation is 0 or 2 || start >= PacketSize)
            {
                continue;
            }

            var payload = p[start..];
            if (pid == 0 && pusi && Section(payload) is { Length: >= 12 } pat)
            {
                pmtPid = ((pat[10] & 0x1F) << 8) | pat[11];
            }
            else if (pid == pmtPid && pusi && videoPid is null && Section(payload) is { Length: >= 16 } pmt)
            {
                var end = Math.Min(3 + (((pmt[1] & 0x0F) << 8) | pmt[2]) - 4, pmt.Length);
                for (var i = 12 + (((pmt[10] & 0x0F) << 8) | pmt[11]); i + 5 <= end; i += 5 + (((pmt[i + 3] & 0x0F) << 8) | pmt[i + 4]))
                {
                    if (pmt[i] is 0x1B or 0x24 && videoPid is null)
                    {
                        (videoType, videoPid) = (pmt[i], ((pmt[i + 1] & 0x1F) << 8) | pmt[i + 2]);
                    }

                    aac |= pmt[i] == 0x0F;
                }
            }
            else if (pid == videoPid)
            {
                if (pusi && es.Count > 0)
                {
                    break; // the first picture is whole: its parameter sets come before it
                }

                if (pusi)
                {
                    var headerLength = payload.Length > 8 ? payload[8] : 0;
                    payload = 9 + headerLength < payload.Length ? payload[(9 + headerLength)..] : [];
                }

                es.AddRange(payload);
            }
        }

        if (videoPid is null)
        {
            return null;
        }

        var hevc = videoType == 0x24;
        var video = hevc ? Hevc(es.ToArray()) : Avc(es.ToArray());
        return new Codecs(video ?? (hevc ? "hvc1.1.6.L120.B0" : "avc1.640028"), hevc, aac);
    }

    private static string? Avc(byte[] es)
    {
        var sps = Nal(es, n => (n[0] & 0x1F) == 7);
        return sps is { Length: >= 4 } ? string.Create(CultureInfo.InvariantCulture, $"avc1.{sps[1]:x2}{sps[2]:x2}{sps[3]:x2}") : null;
    }

    private static string? Hevc(byte[] es)
    {
        var sps = Nal(es, n => n.Length > 1 && ((n[0] >> 1) & 0x3F) == 33);
        if (sps is not { Length: >= 15 })
        {
            return null;
        }

        // after the 2-byte NAL header: vps id, sub-layers and nesting (1 byte), then the general profile_tier_level
        var p = sps.AsSpan(2);
        var space = p[1] >> 6;
        var tier = (p[1] & 0x20) != 0 ? 'H' : 'L';
        var profile = p[1] & 0x1F;
        var compatibility = ((uint)p[2] << 24) | ((uint)p[3] << 16) | ((uint)p[4] << 8) | p[5];
        uint reversed = 0;
        for (var i = 0; i < 32; i++)
        {
            reversed |= ((compatibility >> i) & 1) << (31 - i);
        }

        var text = new StringBuilder("hvc1.");
        text.Append(space switch { 1 => "A", 2 => "B", 3 => "C", _ => string.Empty }).Append(profile.ToString(CultureInfo.InvariantCulture));
        text.Append('.').Append(reversed.ToString("x", CultureInfo.InvariantCulture));
        text.Append('.').Append(tier).Append(p[12].ToString(CultureInfo.InvariantCulture));
        var constraints = p.Slice(6, 6).ToArray();
        var last = Array.FindLastIndex(constraints, b => b != 0);
        for (var i = 0; i <= last; i++)
        {
            text.Append('.').Append(constraints[i].ToString("x2", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>The first NAL unit that <paramref name="match"/>es, without its emulation prevention bytes.</summary>
    private static byte[]? Nal(byte[] es, Func<byte[], bool> match)
    {
        for (var i = 0; i + 3 < es.Length; i++)
        {
            if (es[i] != 0 || es[i + 1] != 0 || es[i + 2] != 1)
            {
                continue;
            }

            var end = i + 3;
            while (end + 2 < es.Length && !(es[end] == 0 && es[end + 1] == 0 && es[end + 2] is 0 or 1))
            {
                end++;
            }

            var nal = new List<byte>(end - i - 3);
            for (var j = i + 3; j < end && j < es.Length; j++)
            {
                if (j >= i + 5 && es[j] == 3 && es[j - 1] == 0 && es[j - 2] == 0)
                {
                    continue;
                }

                nal.Add(es[j]);
            }

            var unit = nal.ToArray();
            if (unit.Length > 0 && match(unit))
            {
                return unit;
            }

            i = end - 1;
        }

        return null;
    }

    private static ReadOnlySpan<byte> Section(ReadOnlySpan<byte> payload)
    {
        var pointer = payload[0];
        return 1 + pointer < payload.Length ? payload[(1 + pointer)..] : [];
    }
}
