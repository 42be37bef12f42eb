using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Catalog.Catalogue.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using static Catalog.Catalogue.CatalogProblems;

namespace Catalog.Catalogue.Parsing
{
    /// <summary>
    /// Loads the catalogue text as one YAML document, or reports PRICE001 where it stops being YAML.
    /// YamlDotNet gives some errors no position (an alias to an undefined anchor comes back at 1,1) and
    /// throws plain .NET exceptions for others (a '[' left open across lines, text after a '...' line);
    /// those are located by replaying the text, so they never surface as internal errors.
    /// </summary>
    internal static class YamlLoader
    {
        public static YamlStream? Load(ProblemSink sink, string text)
        {
            var scanner = new Scanner(new StringReader(text));
            var stream = new YamlStream();
            try
            {
                stream.Load(new Parser(scanner));
            }
            catch (YamlException ex) when (ex.Start.Index > 0 || ex.End.Index > 0)
            {
                Report(sink, $"{ex.InnerException?.Message ?? ex.Message}; check indentation and quoting at this line", sink.At(ex.Start, ex.End));
                return null;
            }
            catch (Exception ex) when (IsReaderFailure(ex))
            {
                var stoppedAt = sink.At(scanner.CurrentPosition, scanner.CurrentPosition);
                var (detail, location) = Explain(sink, text, stoppedAt)
                    ?? ("reading stopped here; is a '[' or '{' left open, or is there text after a '...' line?", stoppedAt);
                Report(sink, detail, location);
                return null;
            }

            if (stream.Documents.Count > 1)
            {
                Report(sink, "a second document starts here, but the catalogue is one document; remove the '---' or '...' line before it", sink.At(stream.Documents[1].RootNode));
                return null;
            }

            return stream;
        }

        private static bool IsReaderFailure(Exception ex) =>
            ex is YamlException || ex is InvalidOperationException || ex is ArgumentException;

        private static void Report(ProblemSink sink, string detail, LocationInfo location) =>
            sink.Report(YamlSyntaxId, $"the catalogue is not valid YAML: {detail.Replace("\r", " ").Replace("\n", " ")}", location);

        /// <summary>
        /// Replays the YAML events to name what went wrong: the first alias to an anchor not defined before
        /// it, or the innermost '[' or '{' still open when the reader gave up.
        /// </summary>
        private static (string Detail, LocationInfo Location)? Explain(ProblemSink sink, string text, LocationInfo stoppedAt)
        {
            var anchors = new HashSet<string>(StringComparer.Ordinal);
            var open = new Stack<ParsingEvent>();
            var parser = new Parser(new StringReader(text));
            try
            {
                while (parser.MoveNext())
                {
                    var current = parser.Current!;
                    if (current is AnchorAlias alias && !anchors.Contains(alias.Value.Value))
                    {
                        return ($"'*{alias.Value}' refers to no anchor '&{alias.Value}' defined before it", sink.At(alias.Start, alias.End));
                    }

                    if (current is NodeEvent node && !node.Anchor.IsEmpty)
                    {
                        anchors.Add(node.Anchor.Value);
                    }

                    if (current is SequenceStart || current is MappingStart)
                    {
                        open.Push(current);
                    }
                    else if ((current is SequenceEnd || current is MappingEnd) && open.Count > 0)
                    {
                        open.Pop();
                    }
                }
            }
            catch (Exception ex) when (IsReaderFailure(ex))
            {
                var flow = open.FirstOrDefault(e => (e as SequenceStart)?.Style == SequenceStyle.Flow || (e as MappingStart)?.Style == MappingStyle.Flow);
                if (flow != null)
                {
                    var bracket = flow is SequenceStart ? "[" : "{";
                    return ($"this '{bracket}' is not closed (reading stopped at line {stoppedAt.Line}, column {stoppedAt.Column})", sink.At(flow.Start, flow.End));
                }
            }

            return null;
        }
    }
}
