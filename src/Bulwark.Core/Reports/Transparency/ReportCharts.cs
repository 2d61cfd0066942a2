using System.Diagnostics;

namespace Bulwark.Core.Reports.Transparency;

/// <summary>Bar charts as SVG (ScottPlot), inlined into the HTML reports.</summary>
public static class ReportCharts
{
    public static string Bars(string title, IReadOnlyList<(string Label, double Value)> bars, int width = 720, int height = 300)
    {
        var plot = new ScottPlot.Plot();
        var values = bars.Count == 0 ? [0.0] : bars.Select(b => b.Value).ToArray();
        var barPlot = plot.Add.Bars(values);
        barPlot.Color = ScottPlot.Color.FromHex("#3b6ea8");
        var ticks = bars.Select((b, i) => new ScottPlot.Tick(i, b.Label)).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.Axes.Left.Label.Text = "";
        // A chart of zeros still has a visible axis range.
        if (values.All(v => v == 0)) plot.Axes.SetLimitsY(0, 1);
        return plot.GetSvgXml(width, height);
    }
}

/// <summary>Prints an HTML file to PDF with headless Chromium (Debian's package; the one the console's browser tests drive).</summary>
public sealed class ChromiumPdf(TransparencyOptions options)
{
    public bool Available => File.Exists(options.ChromiumPath);

    public async Task PrintAsync(string htmlPath, string pdfPath, CancellationToken ct)
    {
        if (!Available)
            throw new ReportRefusedException(ReportRefusedException.Invalid,
                $"Chromium is not installed at {options.ChromiumPath}, so the PDF cannot be printed; install Debian's 'chromium' package or set Bulwark:Transparency:ChromiumPath.");
        var profile = Path.Combine(Path.GetTempPath(), "bulwark-pdf-" + Guid.NewGuid().ToString("N"));
        try
        {
            var psi = new ProcessStartInfo(options.ChromiumPath)
            {
                RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
            };
            foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-pdf-header-footer",
                         $"--user-data-dir={profile}", $"--print-to-pdf={Path.GetFullPath(pdfPath)}", new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("Chromium did not start.");
            var err = p.StandardError.ReadToEndAsync(ct);
            _ = p.StandardOutput.ReadToEndAsync(ct);
            await p.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromMinutes(5), ct);
            if (p.ExitCode != 0 || !File.Exists(pdfPath) || new FileInfo(pdfPath).Length == 0)
                throw new InvalidOperationException($"Chromium could not print {htmlPath} to PDF (exit {p.ExitCode}): {(await err).Trim()}");
        }
        finally
        {
            try { Directory.Delete(profile, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Prints every HTML file of the bundle beside it and returns the bundle with the PDFs added.</summary>
    public async Task<IReadOnlyList<ReportFile>> AddPdfsAsync(IReadOnlyList<ReportFile> files, CancellationToken ct)
    {
        var dir = Path.Combine(Path.GetTempPath(), "bulwark-report-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var result = new List<ReportFile>(files);
            foreach (var html in files.Where(f => f.Name.EndsWith(".html", StringComparison.Ordinal)))
            {
                var htmlPath = Path.Combine(dir, html.Name);
                await File.WriteAllBytesAsync(htmlPath, html.Content, ct);
                var pdfPath = Path.ChangeExtension(htmlPath, ".pdf");
                await PrintAsync(htmlPath, pdfPath, ct);
                result.Add(new ReportFile(Path.GetFileName(pdfPath), "application/pdf", await File.ReadAllBytesAsync(pdfPath, ct)));
            }
            return result;
        }
        finally { try { Directory.Delete(dir, true); } catch (IOException) { } }
    }
}
