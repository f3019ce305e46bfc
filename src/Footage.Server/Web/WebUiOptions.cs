namespace Footage.Server.Web;

/// <summary><c>Footage:Web</c>: where the built control-room UI (web/dist) is served from.</summary>
public sealed class WebUiOptions
{
    public const string Section = "Footage:Web";

    /// <summary>Folder with index.html and its scripts; relative paths are taken from the app's folder. Empty: the <c>web</c> folder next to the app.</summary>
    public string Root { get; set; } = "";

    public string ResolveRoot() =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(Root) ? "web" : Root, AppContext.BaseDirectory);
}
