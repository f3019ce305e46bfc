namespace Footage.Milestone.Transmux.Pictures;

/// <summary>
/// The picture order count of H.264 pictures (ITU-T H.264 7.3.2.1, 7.3.3 and 8.2.1): from the sequence parameter set the
/// widths of frame_num and pic_order_cnt_lsb, from the first slice header of each picture its order count lsb, and the
/// msb carried over from the previous reference picture. Order count type 2 is decode order; type 1 and field pictures
/// are not followed (the picture is <see cref="PictureOrder.Unknown"/>).
/// </summary>
internal sealed class H264PictureOrder : IPictureOrderReader
{
    private static readonly HashSet<uint> HighProfiles = [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135];
    private readonly Dictionary<uint, Sps> _sps = [];
    private readonly Dictionary<uint, uint> _ppsToSps = [];
    private int _previousMsb;
    private int _previousLsb;
    private int _decoded;

    private sealed record Sps(int Log2MaxFrameNum, uint PocType, int Log2MaxPocLsb, bool FrameMbsOnly, bool SeparateColourPlane);

    public PictureOrder Read(ReadOnlySpan<byte> accessUnit)
    {
        foreach (var (offset, length) in NalUnits.Of(accessUnit))
        {
            var nal = accessUnit.Slice(offset, length);
            var type = nal[0] & 0x1F;
            try
            {
                switch (type)
                {
                    case 7:
                        ReadSps(nal[1..]);
                        break;
                    case 8:
                        ReadPps(nal[1..]);
                        break;
                    case 1 or 5:
                        return ReadSlice(nal[1..], idr: type == 5, reference: (nal[0] & 0x60) != 0);
                }
            }
            catch (EndOfStreamException)
            {
                return PictureOrder.Unknown;
            }
        }

        return PictureOrder.Unknown;
    }

    private void ReadSps(ReadOnlySpan<byte> payload)
    {
        var r = new RbspReader(payload);
        var profile = r.ReadBits(8);
        r.Skip(16); // constraint flags, level
        var id = r.ReadUe();
        var separate = false;
        if (HighProfiles.Contains(profile))
        {
            var chroma = r.ReadUe();
            if (chroma == 3)
            {
                separate = r.ReadFlag();
            }

            r.ReadUe(); // bit_depth_luma_minus8
            r.ReadUe(); // bit_depth_chroma_minus8
            r.Skip(1); // qpprime_y_zero_transform_bypass_flag
            if (r.ReadFlag())
            {
                for (var i = 0; i < (chroma == 3 ? 12 : 8); i++)
                {
                    if (r.ReadFlag())
                    {
                        SkipScalingList(ref r, i < 6 ? 16 : 64);
                    }
                }
            }
        }

        var log2MaxFrameNum = (int)r.ReadUe() + 4;
        var pocType = r.ReadUe();
        var log2MaxPocLsb = 0;
        if (pocType == 0)
        {
            log2MaxPocLsb = (int)r.ReadUe() + 4;
        }
        else if (pocType == 1)
        {
            r.Skip(1);
            r.ReadSe();
            r.ReadSe();
            for (var n = r.ReadUe(); n > 0; n--)
            {
                r.ReadSe();
            }
        }

        r.ReadUe(); // max_num_ref_frames
        r.Skip(1); // gaps_in_frame_num_value_allowed_flag
        r.ReadUe(); // pic_width_in_mbs_minus1
        r.ReadUe(); // pic_height_in_map_units_minus1
        var frameMbsOnly = r.ReadFlag();
        if (log2MaxFrameNum <= 16 && log2MaxPocLsb <= 16)
        {
            _sps[id] = new Sps(log2MaxFrameNum, pocType, log2MaxPocLsb, frameMbsOnly, separate);
        }
    }

    private void ReadPps(ReadOnlySpan<byte> payload)
    {
        var r = new RbspReader(payload);
        var id = r.ReadUe();
        _ppsToSps[id] = r.ReadUe();
    }

    private PictureOrder ReadSlice(ReadOnlySpan<byte> payload, bool idr, bool reference)
    {
        var r = new RbspReader(payload);
        r.ReadUe(); // first_mb_in_slice: the first slice of the access unit is the picture's first
        r.ReadUe(); // slice_type
        var pps = r.ReadUe();
        if (!_ppsToSps.TryGetValue(pps, out var spsId) || !_sps.TryGetValue(spsId, out var sps))
        {
            return PictureOrder.Unknown;
        }

        if (sps.SeparateColourPlane)
        {
            r.Skip(2);
        }

        r.Skip(sps.Log2MaxFrameNum); // frame_num
        if (!sps.FrameMbsOnly && r.ReadFlag())
        {
            return PictureOrder.Unknown; // a field picture: its pair shares a frame
        }

        if (idr)
        {
            r.ReadUe(); // idr_pic_id
            _previousMsb = 0;
            _previousLsb = 0;
        }

        _decoded++;
        switch (sps.PocType)
        {
            case 2:
                return new PictureOrder(_decoded, idr); // output order is decode order
            case not 0:
                return PictureOrder.Unknown;
        }

        var lsb = (int)r.ReadBits(sps.Log2MaxPocLsb);
        var max = 1 << sps.Log2MaxPocLsb;
        var msb = _previousMsb;
        if (lsb < _previousLsb && _previousLsb - lsb >= max / 2)
        {
            msb += max;
        }
        else if (lsb > _previousLsb && lsb - _previousLsb > max / 2)
        {
            msb -= max;
        }

        if (reference)
        {
            _previousMsb = msb;
            _previousLsb = lsb;
        }

        return new PictureOrder(msb + lsb, idr);
    }

    private static void SkipScalingList(ref RbspReader r, int size)
    {
        int last = 8, next = 8;
        for (var j = 0; j < size; j++)
        {
            if (next != 0)
            {
                next = (last + r.ReadSe() + 256) % 256;
            }

            last = next == 0 ? last : next;
        }
    }
}
