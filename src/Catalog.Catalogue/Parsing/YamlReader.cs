using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Catalog.Catalogue.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static Catalog.Catalogue.CatalogProblems;

namespace Catalog.Catalogue.Parsing
{
    /// <summary>Collects problems and turns YAML marks into locations.</summary>
    internal sealed class ProblemSink
    {
        private readonly List<CatalogProblem> _problems = new List<CatalogProblem>();

        public ProblemSink(string filePath) => FilePath = filePath;

        public string FilePath { get; }

        public IReadOnlyList<CatalogProblem> Problems => _problems;

        /// <summary>The file's <c>schema</c>, once read: keys of a newer schema are reported, not read.</summary>
        public int Schema { get; set; } = CatalogParser.SchemaVersion;

        public LocationInfo FileStart => LocationInfo.StartOf(FilePath);

        public LocationInfo At(YamlNode node) => At(node.Start, node.End);

        public LocationInfo At(Mark start, Mark end)
        {
            var endLine = (int)end.Line;
            var endColumn = (int)end.Column;
            if (endLine < start.Line || (endLine == start.Line && endColumn <= start.Column))
            {
                endLine = (int)start.Line;
                endColumn = (int)start.Column + 1;
            }

            return new LocationInfo(FilePath, (int)start.Line, (int)start.Column, endLine, endColumn);
        }

        public void Report(string id, string message, LocationInfo? location) =>
            _problems.Add(new CatalogProblem(id, message, location));

        public void Report(string id, string message, YamlNode node) => Report(id, message, At(node));
    }

    /// <summary>Reads one YAML mapping: reports unknown keys on creation, then hands out typed values.</summary>
    internal sealed class MapReader
    {
        private static readonly char[] Digits = "0123456789".ToCharArray();

        private readonly ProblemSink _sink;
        private readonly YamlMappingNode _node;
        private readonly Dictionary<string, YamlNode> _values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);

        public MapReader(ProblemSink sink, YamlMappingNode node, string context, string where, bool reportUnknownKeys = true)
        {
            _sink = sink;
            _node = node;
            Where = where;
            var known = CatalogKeys.ByContext[context];
            foreach (var entry in node.Children)
            {
                var key = (entry.Key as YamlScalarNode)?.Value ?? string.Empty;
                if (Array.IndexOf(known, key) < 0)
                {
                    if (!reportUnknownKeys)
                    {
                        continue;
                    }

                    sink.Report(
                        UnknownKeyId,
                        $"unknown key '{key}' in {where}{Suggestions.DidYouMean(key, known)} (allowed: {string.Join(", ", known)})",
                        entry.Key);
                    continue;
                }

                if (sink.Schema < 2 && Array.IndexOf(CatalogKeys.Schema2Only, key) >= 0)
                {
                    sink.Report(UnknownKeyId, $"'{key}' in {where} is a schema-2 key, but this file says 'schema: {sink.Schema}'; write 'schema: 2' at the top of pricing.yaml to use it", entry.Key);
                    continue;
                }

                _values[key] = entry.Value;
            }
        }

        public string Where { get; }

        /// <summary>A scalar's text without validation, to name an entry in messages before it is read.</summary>
        public static string? Peek(YamlMappingNode map, string key)
        {
            foreach (var entry in map.Children)
            {
                if (entry.Key is YamlScalarNode k && k.Value == key && entry.Value is YamlScalarNode v)
                {
                    return v.Value;
                }
            }

            return null;
        }

        public YamlMappingNode Node => _node;

        public LocationInfo Location => _sink.At(_node);

        public bool Has(string key) => _values.ContainsKey(key) && !IsNull(_values[key]);

        public LocationInfo LocationOf(string key) => _values.TryGetValue(key, out var value) ? _sink.At(value) : Location;

        public string? String(string key, bool required = false)
        {
            var node = Required(key, required);
            if (node is null)
            {
                return null;
            }

            if (node is YamlScalarNode scalar && !string.IsNullOrWhiteSpace(scalar.Value))
            {
                return scalar.Value!.Trim();
            }

            _sink.Report(InvalidValueId, $"'{key}' in {Where} must be a non-empty text value", node);
            return null;
        }

        public decimal? Money(string key, bool required = false)
        {
            var node = Required(key, required);
            if (node is null)
            {
                return null;
            }

            var text = (node as YamlScalarNode)?.Value?.Trim() ?? string.Empty;
            if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                || text.IndexOfAny(Digits) < 0)
            {
                _sink.Report(InvalidValueId, $"'{key}' in {Where} must be a number of US dollars such as 3 or 0.15, not '{text}'", node);
                return null;
            }

            if (value < 0)
            {
                _sink.Report(NegativePriceId, $"'{key}' in {Where} is {text}; prices cannot be negative: use 0 for free", node);
                return null;
            }

            return value;
        }

        public long? Integer(string key, bool required = false, long min = 0, long max = long.MaxValue)
        {
            var node = Required(key, required);
            if (node is null)
            {
                return null;
            }

            var text = (node as YamlScalarNode)?.Value?.Trim() ?? string.Empty;
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                var range = max == long.MaxValue ? $"a whole number of at least {min}" : $"a whole number from {min} to {max}";
                _sink.Report(InvalidValueId, $"'{key}' in {Where} must be {range}, not '{text}'", node);
                return null;
            }

            return value;
        }

        public bool? Bool(string key)
        {
            var node = Required(key, false);
            if (node is null)
            {
                return null;
            }

            var text = (node as YamlScalarNode)?.Value?.Trim() ?? string.Empty;
            if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            _sink.Report(InvalidValueId, $"'{key}' in {Where} must be true or false, not '{text}'", node);
            return null;
        }

        public string? Date(string key, bool required = false)
        {
            var node = Required(key, required);
            if (node is null)
            {
                return null;
            }

            var text = (node as YamlScalarNode)?.Value?.Trim() ?? string.Empty;
            if (!DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                _sink.Report(InvalidValueId, $"'{key}' in {Where} must be a date written YYYY-MM-DD, not '{text}'", node);
                return null;
            }

            return text;
        }

        public string? OneOf(string key, params string[] allowed)
        {
            var text = String(key);
            if (text is null || Array.IndexOf(allowed, text) >= 0)
            {
                return text;
            }

            _sink.Report(InvalidValueId, $"'{key}' in {Where} must be one of {string.Join(", ", allowed)}, not '{text}'{Suggestions.DidYouMean(text, allowed)}", _values[key]);
            return null;
        }

        public YamlMappingNode? Map(string key, bool required = false)
        {
            var node = Required(key, required);
            if (node is null)
            {
                return null;
            }

            if (node is YamlMappingNode map)
            {
                return map;
            }

            _sink.Report(InvalidValueId, $"'{key}' in {Where} must be a mapping of keys to values", node);
            return null;
        }

        public IReadOnlyList<YamlNode> Sequence(string key, bool required = false)
        {
            var node = Required(key, required);
            if (node is null)
            {
                return Array.Empty<YamlNode>();
            }

            if (node is YamlSequenceNode sequence)
            {
                return sequence.Children.ToArray();
            }

            _sink.Report(InvalidValueId, $"'{key}' in {Where} must be a list (items starting with '- ', or [])", node);
            return Array.Empty<YamlNode>();
        }

        public IReadOnlyList<string> Strings(string key)
        {
            var result = new List<string>();
            foreach (var item in Sequence(key))
            {
                if (item is YamlScalarNode scalar && !string.IsNullOrWhiteSpace(scalar.Value))
                {
                    result.Add(scalar.Value!.Trim());
                }
                else
                {
                    _sink.Report(InvalidValueId, $"every item of '{key}' in {Where} must be a non-empty text value", item);
                }
            }

            return result;
        }

        private YamlNode? Required(string key, bool required)
        {
            if (_values.TryGetValue(key, out var node) && !IsNull(node))
            {
                return node;
            }

            if (required)
            {
                _sink.Report(MissingFieldId, $"{Where} has no '{key}'; add '{key}:' to it", _node);
            }

            return null;
        }

        private static bool IsNull(YamlNode node) =>
            node is YamlScalarNode scalar
            && scalar.Style == ScalarStyle.Plain
            && (scalar.Value is null || scalar.Value.Length == 0 || scalar.Value == "~" || scalar.Value == "null");
    }
}
