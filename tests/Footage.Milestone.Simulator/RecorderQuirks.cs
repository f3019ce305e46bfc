namespace Footage.Milestone.Simulator;

/// <summary>
/// What real XProtect recorders do beyond the letter of Milestone's ImageServer documentation, as Milestone's own
/// samples and open clients show (the TCP video viewer sample, go2rtc's Milestone source, milestonexprotectsrc).
/// A simulated camera's recorder answers with the ones it is given.
/// </summary>
[Flags]
public enum RecorderQuirks
{
    None = 0,

    /// <summary><c>goto</c> answers with the key frame that begins the GOP holding the time asked for: an earlier frame than the one at that time.</summary>
    GotoKeyFrame = 1 << 0,

    /// <summary><c>goto</c> answers with the whole GOP up to the time asked for, in one <c>multipart/related</c> answer (what go2rtc sees with multipartdata).</summary>
    GotoWholeGop = 1 << 1,

    /// <summary>Image answers without the <c>Prev</c> header.</summary>
    NoPrev = 1 << 2,

    /// <summary>Unrelated XML messages (a <c>livepackage</c>, a <c>methodresponse</c> to another request) before some answers to <c>goto</c> and <c>next</c>.</summary>
    UnrelatedXml = 1 << 3,

    /// <summary>Every video packet wrapped in a GenericByteData multi-packet (type 0xFEF0) together with an audio packet.</summary>
    MultiPacket = 1 << 4,

    /// <summary>Answers holding only an audio packet (GenericByteData type 0x0020) between video frames.</summary>
    AudioPackets = 1 << 5,

    /// <summary>Answers holding only a metadata packet (GenericByteData type 0x0030) between video frames.</summary>
    MetadataPackets = 1 << 6,

    /// <summary>Legacy video blocks (GenericByteData types 0x0001 to 0x000F) instead of video stream packets.</summary>
    LegacyVideoBlocks = 1 << 7,

    /// <summary>JPEG pictures sent bare, under the GenericByteData content type (older recorders do, Milestone's sample says).</summary>
    BareJpeg = 1 << 8,
}
