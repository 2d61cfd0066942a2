using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Bulwark.Core.Signals.Ocr;

/// <summary>
/// Runs the <c>tesseract</c> command line on one greyscale picture: the picture goes to its standard input as PGM, words
/// come back as TSV with a confidence each. Words below <see cref="OcrOptions.MinWordConfidence"/> are dropped and the rest
/// joined line by line; a reading shorter than <see cref="OcrOptions.MinTextChars"/> counts as no text.
/// Expected failures (no tesseract, a missing language, a timeout) are results, never exceptions.
/// </summary>
public sealed class TesseractOcr
{
    private const int MaxStdoutChars = 4 << 20;
    private readonly OcrOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly Lazy<string?> _unavailable;

    public TesseractOcr(OcrOptions options)
    {
        _options = options;
        _slots = new SemaphoreSlim(options.MaxConcurrent > 0 ? options.MaxConcurrent : Environment.ProcessorCount);
        _unavailable = new Lazy<string?>(Check);
    }

    public OcrOptions Options => _options;

    /// <summary>Whether tesseract runs here with every configured language; the answer is cached. <paramref name="reason"/> says why not.</summary>
    public bool IsAvailable(out string? reason)
    {
        reason = _options.Enabled ? _unavailable.Value : "OCR is disabled (Bulwark:Ocr:Enabled=false)";
        return reason is null;
    }

    private string? Check()
    {
        var exe = _options.TesseractPath;
        try
        {
            using var p = Process.Start(new ProcessStartInfo(exe, ["--list-langs"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (p is null) return $"'{exe}' could not be started";
            var stderr = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.ReadToEnd() + "\n" + stderr.GetAwaiter().GetResult();
            if (!p.WaitForExit(10_000)) { p.Kill(true); return $"'{exe} --list-langs' did not answer within 10 s"; }
            if (p.ExitCode != 0) return $"'{exe} --list-langs' exited with {p.ExitCode}";
            // The first line is "List of available languages in …"; each further line is one language.
            var installed = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Where(l => !l.Contains(' ')).ToHashSet(StringComparer.Ordinal);
            var missing = _options.Languages.Split('+').Where(l => !installed.Contains(l)).ToList();
            return missing.Count == 0 ? null
                : $"tesseract has no data for {string.Join(", ", missing.Select(m => $"'{m}'"))} (installed: {string.Join(", ", installed.Order())}); "
                  + $"install {string.Join(" ", missing.Select(m => "tesseract-ocr-" + m))} or change Bulwark:Ocr:Languages";
        }
        catch (Win32Exception e)
        {
            return $"'{exe}' is not installed or not executable ({e.Message}); install the tesseract-ocr package or set Bulwark:Ocr:TesseractPath";
        }
    }

    public async Task<OcrResult> RecognizeAsync(GrayImage image, CancellationToken ct)
    {
        if (!IsAvailable(out var why)) return OcrResult.Fail(OcrErrorCode.Unavailable, $"OCR is unavailable: {why}");
        await _slots.WaitAsync(ct);
        try { return await RunAsync(image, ct); }
        finally { _slots.Release(); }
    }

    private async Task<OcrResult> RunAsync(GrayImage image, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(_options.TesseractPath,
            ["stdin", "stdout", "-l", _options.Languages, "--psm", _options.PageSegmentationMode.ToString(CultureInfo.InvariantCulture), "tsv"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        // Tesseract's OpenMP threads fight each other when several run at once; parallelism comes from MaxConcurrent instead.
        psi.Environment["OMP_THREAD_LIMIT"] = "1";
        Process? p;
        try { p = Process.Start(psi); }
        catch (Win32Exception e) { return OcrResult.Fail(OcrErrorCode.Unavailable, $"'{_options.TesseractPath}' could not be started ({e.Message})"); }
        if (p is null) return OcrResult.Fail(OcrErrorCode.Unavailable, $"'{_options.TesseractPath}' could not be started");

        using var process = p;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        try
        {
            var stdout = ReadLimitedAsync(process.StandardOutput, MaxStdoutChars, timeout.Token);
            var stderr = ReadLimitedAsync(process.StandardError, 16_384, timeout.Token);
            try
            {
                var stdin = process.StandardInput.BaseStream;
                await stdin.WriteAsync(Encoding.ASCII.GetBytes($"P5\n{image.Width} {image.Height}\n255\n"), timeout.Token);
                await stdin.WriteAsync(image.Pixels.AsMemory(0, image.Width * image.Height), timeout.Token);
                await stdin.FlushAsync(timeout.Token);
            }
            catch (IOException) { /* tesseract closed its input early; its exit code and stderr say why */ }
            finally { process.StandardInput.Close(); }
            await process.WaitForExitAsync(timeout.Token);
            var tsv = await stdout;
            var err = await stderr;
            if (process.ExitCode != 0)
                return OcrResult.Fail(OcrErrorCode.Failed, $"tesseract exited with {process.ExitCode}: {FirstLine(err) ?? "no message"}");
            var text = ParseTsv(tsv, _options.MinWordConfidence);
            return new(text.Text.Count(char.IsLetterOrDigit) < _options.MinTextChars ? OcrText.Empty : text, null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return OcrResult.Fail(OcrErrorCode.Timeout, $"tesseract took longer than {_options.TimeoutSeconds} s on a {image.Width}×{image.Height} picture");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// Tesseract's TSV: <c>level page block par line word left top width height conf text</c>; level 5 rows are words.
    /// Kept words are joined with spaces within a line and lines with newlines, in Tesseract's reading order.
    /// </summary>
    internal static OcrText ParseTsv(string tsv, int minConfidence)
    {
        var sb = new StringBuilder();
        (string, string, string)? line = null;
        double confidenceSum = 0;
        var words = 0;
        foreach (var row in tsv.Split('\n'))
        {
            var cols = row.TrimEnd('\r').Split('\t');
            if (cols.Length < 12 || cols[0] != "5") continue;
            var text = cols[11].Trim();
            if (text.Length == 0 || !double.TryParse(cols[10], NumberStyles.Float, CultureInfo.InvariantCulture, out var conf) || conf < minConfidence) continue;
            var key = (cols[2], cols[3], cols[4]);
            if (line is not null) sb.Append(line == key ? ' ' : '\n');
            line = key;
            sb.Append(text);
            confidenceSum += conf;
            words++;
        }
        return words == 0 ? OcrText.Empty : new OcrText(sb.ToString(), Math.Round(confidenceSum / words, 1), words);
    }

    internal static async Task<string> ReadLimitedAsync(StreamReader reader, int limit, CancellationToken ct)
    {
        var sb = new StringBuilder();
        var chunk = new char[8192];
        int n;
        while ((n = await reader.ReadAsync(chunk, ct)) > 0)
            if (sb.Length < limit) sb.Append(chunk, 0, Math.Min(n, limit - sb.Length));
        return sb.ToString();
    }

    internal static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
