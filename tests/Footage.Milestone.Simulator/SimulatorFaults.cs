using System.Collections.Concurrent;

namespace Footage.Milestone.Simulator;

/// <summary>The ImageServer faults a test can arm; each fires once, on the image answer after a given number of further images.</summary>
public enum ImageFault
{
    /// <summary>The headers and half the body, then the socket closes.</summary>
    CloseMidFrame,

    /// <summary>Nothing more is sent on that connection; the client must time out.</summary>
    Stall,

    /// <summary>The whole body, then only part of the CRLF CRLF trailer, then the socket closes.</summary>
    TruncatedTrailer,

    /// <summary>In a live stream: a livepackage whose status item 5 (camera lost connection) is set.</summary>
    LiveCameraLost,
}

/// <summary>Faults armed by tests, consumed by the simulator as it answers.</summary>
public sealed class SimulatorFaults
{
    private readonly ConcurrentQueue<(ImageFault Fault, long At)> _armed = new();
    private readonly ConcurrentDictionary<string, (int Number, int Sub, int Times)> _soap = new(StringComparer.Ordinal);
    private long _images;

    /// <summary>
    /// The next <paramref name="times"/> calls of a SOAP method answer a fault with this error and sub-error, whatever their
    /// token (20001 sub-error 4 is Milestone's "try again": the token is fine, the server is busy).
    /// </summary>
    public void ArmSoap(string method, int errorNumber, int subError, int times) => _soap[method] = (errorNumber, subError, times);

    /// <summary>The fault the next call of <paramref name="method"/> is to answer, if one is armed.</summary>
    internal (int Number, int Sub)? NextSoap(string method)
    {
        while (_soap.TryGetValue(method, out var armed) && armed.Times > 0)
        {
            if (_soap.TryUpdate(method, armed with { Times = armed.Times - 1 }, armed))
            {
                return (armed.Number, armed.Sub);
            }
        }

        return null;
    }

    /// <summary>Images answered so far (all connections).</summary>
    public long ImagesServed => Interlocked.Read(ref _images);

    /// <summary>Arms a fault for the image answer that comes after <paramref name="afterImages"/> more images.</summary>
    public void Arm(ImageFault fault, int afterImages) => _armed.Enqueue((fault, ImagesServed + afterImages));

    /// <summary>Counts one image about to be sent; returns the fault to apply to it, if one is due.</summary>
    internal ImageFault? NextImage()
    {
        var number = Interlocked.Increment(ref _images);
        if (_armed.TryPeek(out var next) && number > next.At && _armed.TryDequeue(out var due))
        {
            return due.Fault;
        }

        return null;
    }

    internal bool Pending => !_armed.IsEmpty;
}
