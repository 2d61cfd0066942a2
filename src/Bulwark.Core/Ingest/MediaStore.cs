using System.Security.Cryptography;

namespace Bulwark.Core.Ingest;

/// <summary>Where media bytes live, addressed by their SHA-256, so a file uploaded twice is stored once.</summary>
public interface IMediaStore
{
    /// <summary>Copies <paramref name="source"/> into the store, refusing more than <paramref name="maxBytes"/>.</summary>
    Task<MediaWriteResult> PutAsync(Stream source, long maxBytes, CancellationToken ct);
    /// <summary>
    /// Copies <paramref name="source"/> aside and hashes it; nothing is in the store until <see cref="Commit"/>. Disposing an
    /// uncommitted file deletes it, so a refused upload leaves nothing behind. Too large: <c>Result.TooLarge</c>, nothing kept.
    /// </summary>
    Task<StagedMedia> StageAsync(Stream source, long maxBytes, CancellationToken ct);
    /// <summary>Moves a staged file into the store (a file with the same hash already there is kept, the staged copy deleted).</summary>
    void Commit(StagedMedia staged);
    Stream? OpenRead(string sha256);
    bool Exists(string sha256);
    /// <summary>A path external tools (ffmpeg) can read the file at, or null when the store is not a local folder.</summary>
    string? LocalPath(string sha256) => null;
}

public sealed record MediaWriteResult(string? Sha256, string? Md5, long Size, bool TooLarge);

/// <summary>A file written aside by <see cref="IMediaStore.StageAsync"/>; deleted on dispose unless committed.</summary>
public sealed class StagedMedia(string? tempPath, MediaWriteResult result) : IDisposable
{
    public string? TempPath { get; internal set; } = tempPath;
    public MediaWriteResult Result { get; } = result;

    public void Dispose()
    {
        if (TempPath is not null && File.Exists(TempPath)) File.Delete(TempPath);
        TempPath = null;
    }
}

/// <summary>A content-addressed folder: <c>{root}/ab/abcdef…</c>. Files are written to a temporary name and moved into place.</summary>
public sealed class FileMediaStore(string root) : IMediaStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public async Task<MediaWriteResult> PutAsync(Stream source, long maxBytes, CancellationToken ct)
    {
        using var staged = await StageAsync(source, maxBytes, ct);
        if (!staged.Result.TooLarge) Commit(staged);
        return staged.Result;
    }

    public async Task<StagedMedia> StageAsync(Stream source, long maxBytes, CancellationToken ct)
    {
        Directory.CreateDirectory(Root);
        var temp = Path.Combine(Root, $".incoming-{Guid.NewGuid():N}");
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        long size = 0;
        var kept = false;
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await source.ReadAsync(buffer, ct)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                        return new StagedMedia(null, new MediaWriteResult(null, null, size, TooLarge: true));
                    sha.AppendData(buffer, 0, read);
                    md5.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                await file.FlushAsync(ct);
            }
            kept = true;
            return new StagedMedia(temp, new MediaWriteResult(Convert.ToHexStringLower(sha.GetHashAndReset()), Convert.ToHexStringLower(md5.GetHashAndReset()), size, TooLarge: false));
        }
        finally
        {
            if (!kept && File.Exists(temp)) File.Delete(temp);
        }
    }

    public void Commit(StagedMedia staged)
    {
        if (staged.TempPath is not { } temp || staged.Result.Sha256 is not { } sha256) return;
        var target = PathOf(sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target)) File.Delete(temp);
        else File.Move(temp, target, overwrite: true);
        staged.TempPath = null;
    }

    public Stream? OpenRead(string sha256) =>
        Exists(sha256) ? new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true) : null;

    public bool Exists(string sha256) => IsHash(sha256) && File.Exists(PathOf(sha256));

    public string? LocalPath(string sha256) => Exists(sha256) ? PathOf(sha256) : null;

    private string PathOf(string sha256) => Path.Combine(Root, sha256[..2], sha256);

    private static bool IsHash(string s) => s.Length == 64 && s.All(char.IsAsciiHexDigitLower);
}
