namespace Footage.Milestone.Transmux.Pictures;

/// <summary>
/// The picture order count of H.265 pictures (ITU-T H.265 7.3.2.2, 7.3.2.3, 7.3.6.1 and 8.3.1): from the sequence parameter
/// set the width of slice_pic_order_cnt_lsb, from the picture parameter set the fields in front of it in a slice header,
/// from the first slice segment of each picture its order count lsb, and the msb carried over from the previous picture
/// of temporal layer 0 that is not a leading or sub-layer non-reference picture. IDR and BLA pictures start the count
/// again, and so does the first CRA picture of the stream.
/// </summary>
internal sealed class H265PictureOrder : IPictureOrderReader
{
    private readonly Dictionary<uint, Sps> _sps = [];
    private readonly Dictionary<uint, Pps> _pps = [];
    private int _previousMsb;
    private int _previousLsb;
    private bool _started;

    private sealed record Sps(int Log2MaxPocLsb, bool SeparateColourPlane);

    private sealed record Pps(uint SpsId, bool OutputFlagPresent, int ExtraSliceHeaderBits);

    public PictureOrder Read(ReadOnlySpan<byte> accessUnit)
    {
        foreach (var (offset, length) in NalUnits.Of(accessUnit))
        {
            var nal = accessUnit.Slice(offset, length);
            if (nal.Length < 3)
            {
                continue;
            }

            var type = (nal[0] >> 1) & 0x3F;
            var temporalId = (nal[1] & 0x07) - 1;
            try
            {
                switch (type)
                {
                    case 33:
                        ReadSps(nal[2..]);
                        break;
                    case 34:
                        ReadPps(nal[2..]);
                        break;
                    case <= 21 and not (>= 10 and <= 15):
                        return ReadSlice(nal[2..], type, temporalId);
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
        r.Skip(4); // sps_video_parameter_set_id
        var subLayers = (int)r.ReadBits(3); // sps_max_sub_layers_minus1
        r.Skip(1); // sps_temporal_id_nesting_flag
        SkipProfileTierLevel(ref r, subLayers);
        var id = r.ReadUe();
        var separate = false;
        if (r.ReadUe() == 3)
        {
            separate = r.ReadFlag();
        }

        r.ReadUe(); // pic_width_in_luma_samples
        r.ReadUe(); // pic_height_in_luma_samples
        if (r.ReadFlag())
        {
            r.ReadUe(); // conformance window offsets
            r.ReadUe();
            r.ReadUe();
            r.ReadUe();
        }

        r.ReadUe(); // bit_depth_luma_minus8
        r.ReadUe(); // bit_depth_chroma_minus8
        var log2MaxPocLsb = (int)r.ReadUe() + 4;
        if (log2MaxPocLsb <= 16)
        {
            _sps[id] = new Sps(log2MaxPocLsb, separate);
        }
    }

    private static void SkipProfileTierLevel(ref RbspReader r, int subLayers)
    {
        r.Skip(88); // general profile space, tier, profile, compatibility and constraint flags
        r.Skip(8); // general_level_idc
        var profilePresent = new bool[subLayers];
        var levelPresent = new bool[subLayers];
        for (var i = 0; i < subLayers; i++)
        {
            profilePresent[i] = r.ReadFlag();
            levelPresent[i] = r.ReadFlag();
        }

        if (subLayers > 0)
        {
            r.Skip(2 * (8 - subLayers));
        }

        for (var i = 0; i < subLayers; i++)
        {
            r.Skip((profilePresent[i] ? 88 : 0) + (levelPresent[i] ? 8 : 0));
        }
    }

    private void ReadPps(ReadOnlySpan<byte> payload)
    {
        var r = new RbspReader(payload);
        var id = r.ReadUe();
        var sps = r.ReadUe();
        r.Skip(1); // dependent_slice_segments_enabled_flag
        var outputFlagPresent = r.ReadFlag();
        _pps[id] = new Pps(sps, outputFlagPresent, (int)r.ReadBits(3));
    }

    private PictureOrder ReadSlice(ReadOnlySpan<byte> payload, int type, int temporalId)
    {
        var r = new RbspReader(payload);
        if (!r.ReadFlag())
        {
            return PictureOrder.Unknown; // first_slice_segment_in_pic_flag: not the picture's first slice
        }

        var irap = type is >= 16 and <= 23;
        if (irap)
        {
            r.Skip(1); // no_output_of_prior_pics_flag
        }

        if (!_pps.TryGetValue(r.ReadUe(), out var pps) || !_sps.TryGetValue(pps.SpsId, out var sps))
        {
            return PictureOrder.Unknown;
        }

        r.Skip(pps.ExtraSliceHeaderBits);
        r.ReadUe(); // slice_type
        if (pps.OutputFlagPresent)
        {
            r.Skip(1);
        }

        if (sps.SeparateColourPlane)
        {
            r.Skip(2);
        }

        var idr = type is 19 or 20;
        var lsb = idr ? 0 : (int)r.ReadBits(sps.Log2MaxPocLsb);
        // IDR and BLA pictures, and a CRA picture that starts the stream, begin the count again
        var reset = idr || type is >= 16 and <= 18 || (type == 21 && !_started);
        _started = true;
        var msb = 0;
        if (!reset)
        {
            var max = 1 << sps.Log2MaxPocLsb;
            msb = _previousMsb;
            if (lsb < _previousLsb && _previousLsb - lsb >= max / 2)
            {
                msb += max;
            }
            else if (lsb > _previousLsb && lsb - _previousLsb > max / 2)
            {
                msb -= max;
            }
        }

        // leading (RADL, RASL) and sub-layer non-reference pictures do not carry the count on
        var subLayerNonReference = type <= 14 && type % 2 == 0;
        if (temporalId == 0 && type is not (>= 6 and <= 9) && !subLayerNonReference)
        {
            _previousMsb = msb;
            _previousLsb = lsb;
        }

        return new PictureOrder(msb + lsb, reset);
    }
}
