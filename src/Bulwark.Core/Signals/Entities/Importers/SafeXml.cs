using System.Xml;

namespace Bulwark.Core.Signals.Entities.Importers;

/// <summary>Safe, streaming XML reading shared by the XML list parsers: no DTDs, no external resolution, a byte limit, strict UTF-8.</summary>
internal static class SafeXml
{
    public static T Run<T>(Stream input, ListParserOptions? options, Func<XmlReader, T> parse)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= ListParserOptions.Default;
        using var guard = new Utf8GuardStream(input, options.MaxBytes);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 0,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CloseInput = false,
        };
        XmlReader? reader = null;
        try
        {
            reader = XmlReader.Create(guard, settings);
            var result = parse(reader);
            while (reader.Read()) { } // anything after the root must still be well-formed
            return result;
        }
        catch (XmlException ex)
        {
            var (line, position) = (ex.LineNumber, ex.LinePosition);
            if (line == 0 && reader is IXmlLineInfo info && info.HasLineInfo()) (line, position) = (info.LineNumber, info.LinePosition);
            var what = ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase)
                ? "DTDs and entity declarations are refused (they allow entity-expansion and external-entity attacks)"
                : "Malformed XML";
            var where = line > 0 ? $" at line {line}, position {position}" : "";
            throw new ListFormatException($"{what}{where}: {ex.Message}",
                line > 0 ? line : null, line > 0 ? position : null, inner: ex);
        }
        finally
        {
            reader?.Dispose();
        }
    }

    public static int Line(XmlReader reader) => reader is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;

    /// <summary>
    /// With the reader on a start element, calls <paramref name="onChild"/> for each child element (which must consume that element,
    /// e.g. with <see cref="Text"/> or <see cref="XmlReader.Skip"/>) and leaves the reader after the end element.
    /// </summary>
    public static void ForEachChild(XmlReader reader, Action<XmlReader> onChild)
    {
        if (reader.IsEmptyElement) { reader.Read(); return; }
        var depth = reader.Depth;
        reader.Read();
        while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.EOF) throw new XmlException("Unexpected end of file.");
            if (reader.NodeType == XmlNodeType.Element) onChild(reader);
            else reader.Read();
        }
        reader.Read();
    }

    /// <summary>The text of a simple element (null when empty); consumes it. Child elements, if any, are skipped.</summary>
    public static string? Text(XmlReader reader)
    {
        if (reader.IsEmptyElement) { reader.Read(); return null; }
        var sb = new System.Text.StringBuilder();
        var depth = reader.Depth;
        reader.Read();
        while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.EOF) throw new XmlException("Unexpected end of file.");
            if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace)
            {
                sb.Append(reader.Value);
                reader.Read();
            }
            else if (reader.NodeType == XmlNodeType.Element) reader.Skip();
            else reader.Read();
        }
        reader.Read();
        return sb.Length == 0 ? null : sb.ToString();
    }
}
