using System.Security.Cryptography;
using System.Text;

namespace Bulwark.Core.Reports.Research;

/// <summary>
/// Per-project pseudonyms: HMAC-SHA-256 under the project's own random key over the id's kind and value, so an id is stable
/// within a project (a researcher can follow an account across answers) and unlinkable across projects.
/// </summary>
public sealed class Pseudonymiser(byte[] key)
{
    public string Id(string kind, string? value)
    {
        if (value is null) return "";
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(kind + "\n" + value));
        // 128 bits are plenty against collisions within any project's answers.
        return Convert.ToBase64String(mac, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
