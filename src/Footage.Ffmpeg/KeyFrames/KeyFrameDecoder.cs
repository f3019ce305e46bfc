using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Ffmpeg.KeyFrames;

/// <summary>
/// Key frames to JPEG pictures in <c>footage-keyframe-decoder</c>, a long-lived child process built from
/// <c>keyframe-decoder.c</c> beside this file: it links the OS's libavcodec through its headers, starts with an empty
/// environment and confines itself with seccomp to its standard input and output before it reads a byte, so a hostile
/// stream that took over the decoder reaches no file, key, network or process of the server. One picture at a time; a
/// picture costs its decoding (a few ms), not an ffmpeg start (50 to 100 ms of CPU). A process that ends, or takes longer
/// than <see cref="FfmpegOptions.KeyFrameTimeout"/>, is stopped and the next picture starts a new one.
/// </summary>
public sealed class KeyFrameDecoder(IOptions<FfmpegOptions> options, ILogger<KeyFrameDecoder> logger) : IAsyncDisposable
{
    public const string ProgramName = "footage-keyframe-decoder";
    private const int MaxJpegBytes = 64 << 20;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly StderrTail _stderr = new();
    private Process? _process;

    /// <summary>Where the program is: the configured path, else beside the server's assemblies (the build puts it there).</summary>
    public string ProgramPath => options.Value.KeyFrameDecoderPath is { Length: > 0 } configured
        ? configured
        : Path.Combine(AppContext.BaseDirectory, ProgramName);

    public bool IsAvailable => File.Exists(ProgramPath);

    /// <summary>The running process's id, or null when none runs (it starts with the first picture).</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>The JPEG of a key frame given as its access unit in Annex B form, parameter sets included.</summary>
    /// <param name="quality">JPEG quantiser as ffmpeg's <c>-q:v</c> (2 best to 31 worst).</param>
    public async Task<byte[]> EncodeAsync(ReadOnlyMemory<byte> accessUnit, KeyFrameCodec codec, int quality, CancellationToken cancellationToken)
    {
        if (accessUnit.IsEmpty)
        {
            throw new KeyFrameDecoderException("no key frame to decode", processEnded: false);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var process = _process is { HasExited: false } running ? running : Start();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.KeyFrameTimeout);
            try
            {
                return await ExchangeAsync(process, accessUnit, codec, quality, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Stop("it took longer than " + options.Value.KeyFrameTimeout);
                throw new KeyFrameDecoderException($"the decoder process took longer than {options.Value.KeyFrameTimeout} and was stopped", processEnded: true);
            }
            catch (Exception e) when (e is IOException or EndOfStreamException or InvalidOperationException)
            {
                var exit = process.HasExited ? $"exit code {process.ExitCode}" : "no answer";
                Stop(exit);
                throw new KeyFrameDecoderException($"the decoder process ended ({exit}): {_stderr}", processEnded: true);
            }
            catch (OperationCanceledException)
            {
                Stop("the caller stopped waiting"); // the answer would be read as the next picture's
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            Stop(null);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<byte[]> ExchangeAsync(Process process, ReadOnlyMemory<byte> unit, KeyFrameCodec codec, int quality, CancellationToken cancellationToken)
    {
        var header = new byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)codec);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)quality);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)unit.Length);
        var input = process.StandardInput.BaseStream;
        await input.WriteAsync(header, cancellationToken);
        await input.WriteAsync(unit, cancellationToken);
        await input.FlushAsync(cancellationToken);

        var output = process.StandardOutput.BaseStream;
        var answer = new byte[8];
        await output.ReadExactlyAsync(answer, cancellationToken);
        var status = BinaryPrimitives.ReadUInt32LittleEndian(answer);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(answer.AsSpan(4));
        if (length > MaxJpegBytes)
        {
            throw new InvalidOperationException($"the decoder process answered {length} bytes");
        }

        var bytes = new byte[length];
        await output.ReadExactlyAsync(bytes, cancellationToken);
        if (status != 0)
        {
            throw new KeyFrameDecoderException(Encoding.UTF8.GetString(bytes), processEnded: false);
        }

        // whatever a taken-over decoder could send back is stored as a thumbnail: at least it must be a JPEG's frame
        if (bytes.Length < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8 || bytes[^2] != 0xFF || bytes[^1] != 0xD9)
        {
            throw new InvalidOperationException("the decoder process answered something that is not a JPEG");
        }

        return bytes;
    }

    private Process Start()
    {
        var start = new ProcessStartInfo(ProgramPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetPathRoot(AppContext.BaseDirectory) ?? "/",
        };
        start.Environment.Clear(); // not even PATH: it opens nothing by name
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stderr.Add(e.Data);
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        _process = process;
        logger.LogInformation("Started the key-frame decoder process {Program} (pid {Pid})", ProgramPath, process.Id);
        return process;
    }

    private void Stop(string? why)
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // it ended meanwhile
        }

        if (why is not null)
        {
            logger.LogWarning("Stopped the key-frame decoder process: {Reason}", why);
        }

        process.Dispose();
    }
}
