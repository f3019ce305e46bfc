namespace Footage.Milestone.Transmux.Pictures;

/// <summary>
/// Reads the bits of a NAL unit's payload (its raw byte sequence payload: the emulation prevention byte 0x03 of every
/// 0x00 0x00 0x03 dropped) as H.264 and H.265 write them: fixed-width fields and Exp-Golomb codes. Reading past the end
/// throws <see cref="EndOfStreamException"/>: a header cut short is not parsed.
/// </summary>
internal ref struct RbspReader
{
    private readonly ReadOnlySpan<byte> _nal;
    private int _byte;
    private int _bit;
    private int _zeros;
    private int _current;

    public RbspReader(ReadOnlySpan<byte> payload)
    {
        _nal = payload;
        _current = -1;
    }

    public bool ReadFlag() => ReadBit() == 1;

    public uint ReadBits(int count)
    {
        var value = 0u;
        for (var i = 0; i < count; i++)
        {
            value = (value << 1) | (uint)ReadBit();
        }

        return value;
    }

    public void Skip(int bits)
    {
        for (var i = 0; i < bits; i++)
        {
            ReadBit();
        }
    }

    /// <summary>ue(v): an unsigned Exp-Golomb code.</summary>
    public uint ReadUe()
    {
        var leadingZeros = 0;
        while (ReadBit() == 0)
        {
            if (++leadingZeros > 31)
            {
                throw new EndOfStreamException("An Exp-Golomb code longer than 32 bits.");
            }
        }

        return leadingZeros == 0 ? 0 : (uint)((1L << leadingZeros) - 1 + ReadBits(leadingZeros));
    }

    /// <summary>se(v): a signed Exp-Golomb code.</summary>
    public int ReadSe()
    {
        var code = ReadUe();
        return (code & 1) == 1 ? (int)((code + 1) / 2) : -(int)(code / 2);
    }

    private int ReadBit()
    {
        if (_current < 0 || _bit == 8)
        {
            NextByte();
        }

        return (_current >> (7 - _bit++)) & 1;
    }

    private void NextByte()
    {
        while (true)
        {
            if (_byte >= _nal.Length)
            {
                throw new EndOfStreamException("The NAL unit ended inside a header.");
            }

            var b = _nal[_byte++];
            if (_zeros >= 2 && b == 0x03)
            {
                _zeros = 0; // emulation prevention: not part of the payload
                continue;
            }

            _zeros = b == 0 ? _zeros + 1 : 0;
            _current = b;
            _bit = 0;
            return;
        }
    }
}
