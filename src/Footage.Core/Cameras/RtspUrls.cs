using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Footage.Core.Cameras;

/// <summary>Camera URLs often carry a user and password; <see cref="Redact"/> is the only form in which they leave the process.</summary>
public static partial class RtspUrls
{
    /// <summary>
    /// A URL, or any text that holds URLs (an error, ffmpeg's output), with the user and password of every URL in it
    /// replaced by <c>***</c>, whatever the scheme; a URL written without a scheme (<c>user:password@host/path</c>) is
    /// masked up to its last <c>@</c>.
    /// </summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        if (!text.Contains("://", StringComparison.Ordinal) && !text.Any(char.IsWhiteSpace))
        {
            var at = text.LastIndexOf('@');
            return at < 0 ? text : "***" + text[at..];
        }

        return Credentials().Replace(text, "$1***@");
    }

    [GeneratedRegex(@"([a-z][a-z0-9+.\-]*://)[^/\s]*@", RegexOptions.IgnoreCase)]
    private static partial Regex Credentials();

    public static bool IsValid(string? url, out string? reason)
    {
        reason = null;
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2048)
        {
            reason = "must be an rtsp:// or rtsps:// URL of at most 2048 characters";
            return false;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "rtsp" && uri.Scheme != "rtsps") || string.IsNullOrEmpty(uri.Host))
        {
            reason = "must be an rtsp:// or rtsps:// URL with a host";
            return false;
        }

        if (url.Any(char.IsControl))
        {
            reason = "must not contain control characters";
            return false;
        }

        return true;
    }
}
