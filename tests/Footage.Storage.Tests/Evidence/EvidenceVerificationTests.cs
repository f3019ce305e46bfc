using System.IO.Compression;
using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Footage.Evidence;
using Footage.Testing;
using Footage.Verify;
using Xunit;

namespace Footage.Storage.Tests.Evidence;

/// <summary>
/// An evidence package verifies as written, and any changed byte of a video or of the manifest is found and named: by the
/// verifier the endpoint and <c>tools/Footage.Verify</c> share, by the tool's command line, and by the OpenSSL and coreutils
/// commands the README gives a recipient without our tool.
/// </summary>
public sealed class EvidenceVerificationTests : IDisposable
{
    private readonly TempFolder _folder = new("footage-evidence");
    private readonly EvidenceKey _key = EvidenceKey.Generate();

    public void Dispose()
    {
        _key.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_package_as_written_verifies_with_its_key_and_with_the_trusted_key()
    {
        var zip = await EvidencePackage.WriteAsync(_folder.Path, _key);

        var report = await EvidenceVerifier.VerifyAsync(zip, _key, CancellationToken.None);
        Assert.True(report.Valid, string.Join("; ", report.Problems));
        Assert.True(report.KeyTrusted);
        Assert.Equal(("export", "7f3c0000-0000-4000-8000-00000000abcd"), (report.Kind, report.Id));
        Assert.Equal(EvidencePackage.Videos.Append(EvidenceFiles.Manifest).Order(StringComparer.Ordinal), report.Files.Select(f => f.File).Order(StringComparer.Ordinal));
        Assert.All(report.Files, f => Assert.True(f.Matches, f.File));

        var alone = await EvidenceVerifier.VerifyAsync(zip, trusted: null, CancellationToken.None);
        Assert.True(alone.Valid);
        Assert.Null(alone.KeyTrusted);
        Assert.Equal(_key.Fingerprint, alone.KeyFingerprint);
    }

    [Fact]
    public async Task A_changed_byte_of_a_video_is_named_with_both_hashes()
    {
        var zip = await EvidencePackage.WriteAsync(_folder.Path, _key);
        var video = EvidencePackage.Videos[1];
        await EvidencePackage.RewriteAsync(zip, video, content => EvidencePackage.ChangeOneByte(content, 123_456));

        var report = await EvidenceVerifier.VerifyAsync(zip, _key, CancellationToken.None);

        Assert.False(report.Valid);
        Assert.True(report.ManifestSignatureValid); // the signed files are intact: what changed is the video
        var problems = report.Problems.Where(p => p.File == video).Select(p => p.Problem).ToArray();
        Assert.Contains(problems, p => p.StartsWith("SHA-256 is ", StringComparison.Ordinal) && p.Contains("manifest.json says", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("SHA256SUMS says", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Problems, p => p.File == EvidencePackage.Videos[0]);
        Assert.False(report.Files.Single(f => f.File == video).Matches);
    }

    [Fact]
    public async Task A_byte_flipped_inside_the_zip_file_is_named()
    {
        var zip = await EvidencePackage.WriteAsync(_folder.Path, _key);
        var video = EvidencePackage.Videos[0];
        await EvidencePackage.FlipInPlaceAsync(zip, video, offsetInEntry: 50_000);

        var report = await EvidenceVerifier.VerifyAsync(zip, _key, CancellationToken.None);

        Assert.False(report.Valid);
        Assert.Contains(report.Problems, p => p.File == video && p.Problem.Contains("manifest.json says", StringComparison.Ordinal));
        Assert.All(report.Problems, p => Assert.Equal(video, p.File));
    }

    [Fact]
    public async Task A_changed_manifest_fails_its_signature_and_its_checksum()
    {
        var zip = await EvidencePackage.WriteAsync(_folder.Path, _key);
        await EvidencePackage.RewriteAsync(zip, EvidenceFiles.Manifest, content => EvidencePackage.ReplaceText(content, "incident 42", "incident 43"));

        var report = await EvidenceVerifier.VerifyAsync(zip, _key, CancellationToken.None);

        Assert.False(report.Valid);
        Assert.False(report.ManifestSignatureValid);
        Assert.True(report.ChecksumsSignatureValid);
        var problems = report.Problems.Where(p => p.File == EvidenceFiles.Manifest).Select(p => p.Problem).ToArray();
        Assert.Contains(problems, p => p.Contains("does not match its signature in manifest.json.sig", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("SHA256SUMS says", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_package_re_signed_with_another_key_is_consistent_but_not_the_trusted_key()
    {
        using var forger = EvidenceKey.Generate();
        var zip = await EvidencePackage.WriteAsync(_folder.Path, forger);

        var alone = await EvidenceVerifier.VerifyAsync(zip, trusted: null, CancellationToken.None);
        Assert.True(alone.Valid); // self-consistent: only the fingerprint tells it apart
        Assert.Equal(forger.Fingerprint, alone.KeyFingerprint);
        Assert.NotEqual(_key.Fingerprint, alone.KeyFingerprint);

        var trusted = await EvidenceVerifier.VerifyAsync(zip, _key, CancellationToken.None);
        Assert.False(trusted.Valid);
        Assert.False(trusted.KeyTrusted);
        Assert.Contains(trusted.Problems, p => p.File == EvidenceFiles.PublicKey && p.Problem.Contains(_key.Fingerprint, StringComparison.Ordinal));
        Assert.False(trusted.ManifestSignatureValid);
    }

    [Fact]
    public async Task A_missing_an_added_and_a_doubled_file_are_each_named()
    {
        var zip = await EvidencePackage.WriteAsync(_folder.Path, _key);
        await using (var archive = await ZipArchive.CreateAsync(File.Open(zip, FileMode.Open, FileAccess.ReadWrite), ZipArchiveMode.Update, leaveOpen: false, entryNameEncoding: null))
        {
            archive.GetEntry(EvidencePackage.Videos[0])!.Delete();
            await using (var added = await archive.CreateEntry("extra.mp4").OpenAsync())
            {
                await added.WriteAsync("not footage"u8.ToArray());
            }

            await using var doubled = await archive.CreateEntry(EvidencePackage.Videos[1]).OpenAsync();
            await doubled.WriteAsync("a second copy under the same name"u8.ToArray());
        }

        var report = await EvidenceVerifier.VerifyAsync(zip, _key, CancellationToken.None);

        Assert.False(report.Valid);
        Assert.Contains(report.Problems, p => p.File == EvidencePackage.Videos[0] && p.Problem.Contains("missing from the zip", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.File == "extra.mp4" && p.Problem.Contains("not listed", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.File == EvidencePackage.Videos[1] && p.Problem.Contains("2 times", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_that_is_not_a_zip_is_not_a_package()
    {
        var path = Path.Combine(_folder.Path, "not.zip");
        await File.WriteAllTextAsync(path, "{\"kind\":\"export\"}");
        await Assert.ThrowsAsync<EvidenceFormatException>(() => EvidenceVerifier.VerifyAsync(path, _key, CancellationToken.None));
    }

    [Fact]
    public async Task The_verify_command_prints_the_verdict_and_names_what_changed()
    {
        var zip = await EvidencePackage.WriteAsync(_folder.Path, _key);
        var keyFile = Path.Combine(_folder.Path, "trusted.pem");
        await File.WriteAllTextAsync(keyFile, _key.PublicKeyPem);

        var (code, output) = await RunAsync(zip, "--public-key", keyFile);
        Assert.True(code == VerifyCommand.Verified, output);
        Assert.Contains($"fingerprint {_key.Fingerprint} (the trusted key)", output);
        Assert.Contains("Result: VERIFIED", output);

        await EvidencePackage.RewriteAsync(zip, EvidencePackage.Videos[0], content => EvidencePackage.ChangeOneByte(content, 7));
        (code, output) = await RunAsync(zip);
        Assert.True(code == VerifyCommand.NotVerified, output);
        Assert.Contains($"CHANGED {EvidencePackage.Videos[0]}", output);
        Assert.Contains($"PROBLEM {EvidencePackage.Videos[0]}: SHA-256 is ", output);
        Assert.Contains("Result: NOT VERIFIED", output);

        (code, _) = await RunAsync(Path.Combine(_folder.Path, "nothing-here.zip"));
        Assert.Equal(VerifyCommand.Usage, code);
        (code, _) = await RunAsync();
        Assert.Equal(VerifyCommand.Usage, code);
    }

    /// <summary>The command the docs give, as a recipient runs it: <c>dotnet run --project tools/Footage.Verify -- evidence.zip</c> (built already, as CI builds the solution).</summary>
    [Fact]
    public async Task Dotnet_run_of_the_verify_project_exits_0_for_a_good_package_and_1_for_a_changed_one()
    {
        var zip = await EvidencePackage.WriteAsync(_folder.Path, _key);
        var project = Path.Combine(RepositoryPaths.Root, "tools", "Footage.Verify");

        var good = await Cli.Wrap("dotnet").WithArguments(["run", "--no-build", "-c", Configuration, "--project", project, "--", zip])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(good.ExitCode == 0, good.StandardOutput + good.StandardError);
        Assert.Contains("Result: VERIFIED", good.StandardOutput);

        await EvidencePackage.RewriteAsync(zip, EvidenceFiles.Manifest, content => EvidencePackage.ReplaceText(content, "incident 42", "incident 24"));
        var changed = await Cli.Wrap("dotnet").WithArguments(["run", "--no-build", "-c", Configuration, "--project", project, "--", zip])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(changed.ExitCode == 1, changed.StandardOutput + changed.StandardError);
        Assert.Contains($"PROBLEM {EvidenceFiles.Manifest}: does not match its signature", changed.StandardOutput);
    }

    /// <summary>The README's commands, run as written after unzipping: they accept the package and refuse each kind of change.</summary>
    [Fact]
    public async Task The_openssl_and_sha256sum_commands_of_the_readme_verify_a_package_and_catch_changes()
    {
        var zip = await EvidencePackage.WriteAsync(_folder.Path, _key);
        var readme = await ReadEntryAsync(zip, EvidenceFiles.Readme);
        string[] commands =
        [
            "openssl pkey -pubin -in public-key.pem -outform DER | sha256sum",
            "openssl dgst -sha256 -verify public-key.pem -signature SHA256SUMS.sig SHA256SUMS",
            "openssl dgst -sha256 -verify public-key.pem -signature manifest.json.sig manifest.json",
            "sha256sum -c SHA256SUMS",
        ];
        Assert.All(commands, c => Assert.Contains(c, readme));

        var intact = await UnzipAsync(zip, "intact");
        var fingerprint = await ShAsync(intact, commands[0]);
        Assert.StartsWith(_key.Fingerprint, fingerprint.Output);
        Assert.Contains(_key.Fingerprint, readme);
        foreach (var command in commands[1..3])
        {
            var run = await ShAsync(intact, command);
            Assert.True(run.Code == 0 && run.Output.Trim() == "Verified OK", $"{command}: {run.Output}");
        }

        var sums = await ShAsync(intact, commands[3]);
        Assert.True(sums.Code == 0, sums.Output);
        Assert.Equal(3, sums.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.EndsWith(": OK", StringComparison.Ordinal)));

        // a changed video: sha256sum names it
        await EvidencePackage.RewriteAsync(zip, EvidencePackage.Videos[1], content => EvidencePackage.ChangeOneByte(content, 99));
        var video = await ShAsync(await UnzipAsync(zip, "video-changed"), commands[3]);
        Assert.NotEqual(0, video.Code);
        Assert.Contains($"{EvidencePackage.Videos[1]}: FAILED", video.Output);

        // a changed manifest: its signature fails and sha256sum names it
        var other = await EvidencePackage.WriteAsync(_folder.Path, _key, "other.zip");
        await EvidencePackage.RewriteAsync(other, EvidenceFiles.Manifest, content => EvidencePackage.ReplaceText(content, "incident 42", "incident 43"));
        var manifestChanged = await UnzipAsync(other, "manifest-changed");
        var signature = await ShAsync(manifestChanged, commands[2]);
        Assert.NotEqual(0, signature.Code);
        Assert.Contains("Verification failure", signature.Output);
        Assert.Contains($"{EvidenceFiles.Manifest}: FAILED", (await ShAsync(manifestChanged, commands[3])).Output);

        // SHA256SUMS rewritten to match a changed video: its own signature fails
        var third = await EvidencePackage.WriteAsync(_folder.Path, _key, "third.zip");
        await EvidencePackage.RewriteAsync(third, EvidenceFiles.Checksums, content => EvidencePackage.ReplaceText(content, "  ", "  ./"));
        var sumsSignature = await ShAsync(await UnzipAsync(third, "sums-changed"), commands[1]);
        Assert.NotEqual(0, sumsSignature.Code);
        Assert.Contains("Verification failure", sumsSignature.Output);
    }

    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var code = await VerifyCommand.RunAsync(args, output, output, CancellationToken.None);
        return (code, output.ToString());
    }

    private async Task<string> UnzipAsync(string zip, string name)
    {
        var folder = Path.Combine(_folder.Path, name);
        Directory.CreateDirectory(folder);
        var unzip = await Cli.Wrap("unzip").WithArguments(["-q", zip, "-d", folder]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(unzip.ExitCode == 0, unzip.StandardError);
        return folder;
    }

    private static async Task<(int Code, string Output)> ShAsync(string folder, string command)
    {
        var run = await Cli.Wrap("sh").WithArguments(["-c", command]).WithWorkingDirectory(folder).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        return (run.ExitCode, run.StandardOutput + run.StandardError);
    }

    private static async Task<string> ReadEntryAsync(string zip, string name)
    {
        await using var archive = await ZipArchive.CreateAsync(File.OpenRead(zip), ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null);
        await using var stream = await archive.GetEntry(name)!.OpenAsync();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }
}
