using System.Text.RegularExpressions;

namespace Bulwark.Core.Security;

/// <summary>
/// Keeps server file paths out of what users and moderators read (signal explanations, API problems): the media store's
/// layout, temporary files and install folders are none of their business, and a path in an explanation tells an attacker
/// where things live. Messages keep the file's name, which is what identifies it to the reader.
/// </summary>
public static partial class ServerPaths
{
    /// <summary>
    /// Replaces <paramref name="path"/> (as given and as a full path) with <paramref name="name"/>, then every other absolute
    /// path with its last segment. Tools such as ffmpeg and tesseract repeat their input path in their errors, so this runs on
    /// whatever they said, not only on Bulwark's own text.
    /// </summary>
    public static string Redact(string message, string? path = null, string? name = null)
    {
        if (path is { Length: > 0 })
        {
            name ??= Path.GetFileName(path);
            message = message.Replace(Path.GetFullPath(path), name, StringComparison.Ordinal).Replace(path, name, StringComparison.Ordinal);
            // The file's own name too, when the reader knows it by another (an upload's name for a temporary file).
            if (Path.GetFileName(path) is { Length: > 0 } own && own != name) message = message.Replace(own, name, StringComparison.Ordinal);
        }
        return AbsolutePath().Replace(message, m => m.Groups["name"].Value);
    }

    // "/dir/…/name" not preceded by a word character, ':', '/', '.', '~' or '-' (so URLs, "N/A" and relative paths stay).
    [GeneratedRegex(@"(?<![\w:/.~-])/(?:[^\s/'""():,;]+/)+(?<name>[^\s/'""():,;]*)", RegexOptions.CultureInvariant)]
    private static partial Regex AbsolutePath();
}
