//! Exports of a question's rows as files. XLSX is built in memory (no temporary file ever
//! holds rows in plaintext); text is written as text, so `=…` is never a formula.

use arrow::array::{Array, AsArray};
use arrow::datatypes::{DataType, Float64Type};
use arrow::util::display::{ArrayFormatter, FormatOptions};
use proost_connect::QueryOutput;
use rust_xlsxwriter::{Format, Workbook};

use crate::{Error, Result};

/// Spreadsheets stop at 1,048,576 rows (one is the header).
const MAX_ROWS: usize = 1_048_575;

pub fn xlsx(out: &QueryOutput, title: &str) -> Result<Vec<u8>> {
    let fail = |e: rust_xlsxwriter::XlsxError| Error::internal(format!("xlsx: {e}"));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let name: String = title
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    if !name.trim().is_empty() {
        sheet.set_name(name.trim()).map_err(fail)?;
    }
    let bold = Format::new().set_bold();
    for (c, f) in out.schema.fields().iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, f.name(), &bold)
            .map_err(fail)?;
    }
    let options = FormatOptions::default().with_null("");
    let mut row = 1u32;
    for batch in &out.batches {
        let formatters: Vec<ArrayFormatter> = batch
            .columns()
            .iter()
            .map(|a| ArrayFormatter::try_new(a.as_ref(), &options))
            .collect::<std::result::Result<_, _>>()
            .map_err(Error::internal)?;
        // Numbers as numbers: cast once per column.
        let numbers: Vec<Option<arrow::array::ArrayRef>> = batch
            .columns()
            .iter()
            .map(|a| {
                let t = a.data_type();
                if t.is_numeric() && !matches!(t, DataType::Decimal256(..)) {
                    arrow::compute::cast(a, &DataType::Float64).ok()
                } else {
                    None
                }
            })
            .collect();
        for r in 0..batch.num_rows() {
            if row as usize > MAX_ROWS {
                break;
            }
            for (c, col) in batch.columns().iter().enumerate() {
                if col.is_null(r) {
                    continue;
                }
                let c16 = c as u16;
                match (&numbers[c], col.data_type()) {
                    (Some(n), _) => {
                        let v = n.as_primitive::<Float64Type>().value(r);
                        sheet.write_number(row, c16, v).map_err(fail)?;
                    }
                    (None, DataType::Boolean) => {
                        sheet
                            .write_boolean(row, c16, col.as_boolean().value(r))
                            .map_err(fail)?;
                    }
                    _ => {
                        let text = formatters[c].value(r).to_string();
                        sheet.write_string(row, c16, &text).map_err(fail)?;
                    }
                }
            }
            row += 1;
        }
    }
    book.save_to_buffer().map_err(fail)
}
