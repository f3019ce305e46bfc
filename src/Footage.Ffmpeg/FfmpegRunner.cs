using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Footage.Ffmpeg;

/// <summary>
/// Runs ffmpeg and ffprobe to completion with arguments as a list; logs the command line; keeps stderr's tail for errors.
/// They read footage, which comes from cameras: they get none of the server's environment (<see cref="KeyFrames.ChildEnvironment"/>).
/// </summary>
public sealed class FfmpegRunner(IOptions<FfmpegOptions> options, ILogger<FfmpegRunner> logger)
{
    public Task RunFfmpegAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunFfmpegAsync(arguments, PipeSource.Null, cancellationToken);

    /// <summary>Runs ffmpeg with <paramref name="stdin"/> writing what it reads as <c>-i pipe:0</c> (bytes made in this process).</summary>
    public Task RunFfmpegAsync(IReadOnlyList<string> arguments, Func<Stream, CancellationToken, Task> stdin, CancellationToken cancellationToken) =>
        RunFfmpegAsync(arguments, PipeSource.Create(stdin), cancellationToken);

    private async Task RunFfmpegAsync(IReadOnlyList<string> arguments, PipeSource stdin, CancellationToken cancellationToken)
    {
        var tail = new StderrTail();
        var path = options.Value.FfmpegPath;
        logger.LogInformation("Running {Tool} {Arguments}", path, string.Join(' ', arguments));
        var result = await Cli.Wrap(path)
            .WithArguments(stdin == PipeSource.Null ? ["-hide_banner", "-nostdin", "-y", .. arguments] : ["-hide_banner", "-y", .. arguments])
            .WithStandardInputPipe(stdin)
            .WithEnvironmentVariables(KeyFrames.ChildEnvironment.Removals())
            .WithStandardErrorPipe(PipeTarget.ToDelegate(tail.Add))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new FfmpegException("ffmpeg", result.ExitCode, tail.ToString());
        }
    }

    /// <summary>
    /// Runs ffmpeg with its standard output copied to <paramref name="output"/> as it is produced (an output of <c>pipe:1</c>),
    /// and <paramref name="input"/>, when given, as its standard input (an input of <c>pipe:0</c>).
    /// </summary>
    public async Task RunFfmpegToStreamAsync(IReadOnlyList<string> arguments, Stream output, CancellationToken cancellationToken, Stream? input = null)
    {
        var tail = new StderrTail();
        var path = options.Value.FfmpegPath;
        logger.LogInformation("Running {Tool} {Arguments}", path, string.Join(' ', arguments));
        var result = await Cli.Wrap(path)
            .WithArguments(input is null ? ["-hide_banner", "-nostdin", .. arguments] : ["-hide_banner", .. arguments])
            .WithStandardInputPipe(input is null ? PipeSource.Null : PipeSource.FromStream(input))
            .WithStandardOutputPipe(PipeTarget.ToStream(output))
            .WithEnvironmentVariables(KeyFrames.ChildEnvironment.Removals())
            .WithStandardErrorPipe(PipeTarget.ToDelegate(tail.Add))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new FfmpegException("ffmpeg", result.ExitCode, tail.ToString());
        }
    }

    public async Task<string> RunFfprobeAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await Cli.Wrap(options.Value.FfprobePath)
            .WithArguments(arguments)
            .WithEnvironmentVariables(KeyFrames.ChildEnvironment.Removals())
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new FfmpegException("ffprobe", result.ExitCode, result.StandardError.Trim());
        }

        return result.StandardOutput;
    }
}
