namespace Footage.Recording.Processes;

/// <summary>What a recording does with the camera's sound.</summary>
public enum AudioHandling
{
    /// <summary>The camera sends none.</summary>
    None,

    /// <summary>AAC or MP3: copied as it is.</summary>
    Copy,

    /// <summary>A codec MPEG-TS cannot carry readably (G.711...): encoded to AAC, the only re-encoding in the recording path.</summary>
    ToAac,

    /// <summary>Not recorded, as the camera's <c>audio</c> setting asks.</summary>
    Drop,
}
