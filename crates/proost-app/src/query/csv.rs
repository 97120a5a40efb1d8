//! The one CSV writer every CSV Proost hands out goes through (query results, the
//! inventory, privacy exports and bundles). A CSV cell that a spreadsheet would run as a
//! formula is defused.

use arrow::array::Array;
use arrow::datatypes::DataType;
use arrow::record_batch::RecordBatch;
use arrow::util::display::{ArrayFormatter, FormatOptions};

use crate::Error;

/// Builds CSV text: names as the header, text cells quoted (and defused), numbers, dates
/// and flags as they are.
#[derive(Default)]
pub struct Csv {
    out: String,
    first: bool,
}

impl Csv {
    pub fn with_header<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut csv = Csv {
            out: String::new(),
            first: true,
        };
        for n in names {
            csv.text_cell(n, false);
        }
        csv.end_row();
        csv
    }

    fn sep(&mut self) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
    }

    /// A text value: quoted, inner quotes doubled, and a leading `=`, `+`, `-`, `@`, tab or
    /// CR prefixed with `'` so a spreadsheet shows it instead of running it
    /// (`=HYPERLINK(...)` in a customer's name is data, not a formula).
    pub fn text(&mut self, v: &str) {
        self.text_cell(v, true);
    }

    fn text_cell(&mut self, v: &str, quote: bool) {
        self.sep();
        let defused = v.starts_with(['=', '+', '-', '@', '\t', '\r']);
        let needs = quote || defused || v.contains([',', '"', '\n', '\r']);
        if needs {
            self.out.push('"');
            if defused {
                self.out.push('\'');
            }
            self.out.push_str(&v.replace('"', "\"\""));
            self.out.push('"');
        } else {
            self.out.push_str(v);
        }
    }

    /// A value whose text a spreadsheet reads as the value it is (a number, a date).
    pub fn plain(&mut self, v: &str) {
        self.sep();
        self.out.push_str(v);
    }

    pub fn end_row(&mut self) {
        self.out.push_str("\r\n");
        self.first = true;
    }

    /// Appends every row of a batch, each column by its type.
    pub fn batch(&mut self, batch: &RecordBatch) -> Result<(), Error> {
        let options = FormatOptions::default().with_null("");
        let columns: Vec<(bool, ArrayFormatter<'_>)> = batch
            .columns()
            .iter()
            .map(|c| {
                let text = matches!(
                    c.data_type(),
                    DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
                );
                ArrayFormatter::try_new(c.as_ref(), &options).map(|f| (text, f))
            })
            .collect::<Result<_, _>>()
            .map_err(Error::internal)?;
        for row in 0..batch.num_rows() {
            for (i, (text, f)) in columns.iter().enumerate() {
                let v = f.value(row).to_string();
                if *text && batch.column(i).is_valid(row) {
                    self.text(&v);
                } else {
                    self.plain(&v);
                }
            }
            self.end_row();
        }
        Ok(())
    }

    pub fn take(&mut self) -> String {
        std::mem::take(&mut self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_numbers_left_alone() {
        let mut csv = Csv::with_header(["name", "n"]);
        for (name, n) in [
            ("=HYPERLINK(\"http://x\",\"y\")", "-5"),
            ("+1", "3"),
            ("-2", "0"),
            ("@SUM(A1)", "1"),
            ("\tx", "1"),
            ("plain, text", "1"),
        ] {
            csv.text(name);
            csv.plain(n);
            csv.end_row();
        }
        let text = csv.take();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "name,n");
        assert_eq!(lines[1], "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-5");
        assert_eq!(lines[2], "\"'+1\",3");
        assert_eq!(lines[3], "\"'-2\",0");
        assert_eq!(lines[4], "\"'@SUM(A1)\",1");
        assert_eq!(lines[5], "\"'\tx\",1");
        assert_eq!(lines[6], "\"plain, text\",1");
    }
}
