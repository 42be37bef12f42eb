using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Catalog.Generator.Emit
{
    /// <summary>A small indented writer so the emitted table stays readable for reviewers.</summary>
    internal sealed class CodeWriter
    {
        private readonly StringBuilder _builder = new StringBuilder(64 * 1024);
        private int _indent;

        public CodeWriter Line(string text = "")
        {
            if (text.Length > 0)
            {
                _builder.Append(' ', _indent * 4);
                _builder.Append(text);
            }

            _builder.Append('\n');
            return this;
        }

        public CodeWriter Open(string text)
        {
            Line(text);
            Line("{");
            _indent++;
            return this;
        }

        public CodeWriter Close(string suffix = "")
        {
            _indent--;
            Line("}" + suffix);
            return this;
        }

        public override string ToString() => _builder.ToString();

        public static string Str(string? value) => value is null ? "null" : SymbolDisplay.FormatLiteral(value, quote: true);

        public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
