using System.Globalization;

namespace Footage.Evidence;

/// <summary>The README of a package: what the recipient holds and how to check it, with or without our tool.</summary>
public static class EvidenceReadme
{
    public static string Write(string what, string keyFingerprint, string publicKeyUrl) => string.Create(CultureInfo.InvariantCulture, $"""
        Evidence package: {what}

        What is in this zip
          *.mp4              the footage, one file per camera, copied from the recordings without re-encoding
          manifest.json      what the footage is: cameras, time range, the recorded segments it was made from with
                             their SHA-256, the SHA-256 and size of each video, who asked for it, when and why
          SHA256SUMS         the SHA-256 of each video and of manifest.json (the format of sha256sum)
          manifest.json.sig  signature of manifest.json  ({EvidenceFiles.Algorithm}, DER)
          SHA256SUMS.sig     signature of SHA256SUMS     (same key)
          public-key.pem     the public key of the system that signed them

        The signing key's fingerprint (SHA-256 of the DER public key) is
          {keyFingerprint}
        Compare it with the fingerprint the system publishes at {publicKeyUrl}, or with the one you were given
        through another channel: a package signed by any other key proves nothing about its origin.

        Checking it with OpenSSL and coreutils (after unzipping into an empty folder):
          openssl pkey -pubin -in public-key.pem -outform DER | sha256sum     # the fingerprint above
          openssl dgst -sha256 -verify public-key.pem -signature SHA256SUMS.sig SHA256SUMS
          openssl dgst -sha256 -verify public-key.pem -signature manifest.json.sig manifest.json
          sha256sum -c SHA256SUMS
        Both openssl commands must print "Verified OK" and sha256sum must print "OK" for every file. Any changed byte
        of a video or of the manifest makes one of them fail.

        Checking it with the system's verifier: dotnet run --project tools/Footage.Verify -- <this zip>
        (from the system's source), or upload the zip to POST /api/v1/storage/evidence/verify. Both name the file
        that does not match and what differs.

        """);
}
