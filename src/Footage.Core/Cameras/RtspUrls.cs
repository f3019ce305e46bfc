namespace Footage.Core.Cameras;

/// <summary>Camera URLs often carry a user and password; this is the only form in which they leave the process.</summary>
public static class RtspUrls
{
    public static string? Redact(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return url;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            var at = url.LastIndexOf('@');
            return at < 0 ? url : "***" + url[at..];
        }

        if (string.IsNullOrEmpty(uri.UserInfo))
        {
            return url;
        }

        var builder = new UriBuilder(uri) { UserName = "***", Password = string.Empty };
        return builder.Uri.ToString();
    }

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
