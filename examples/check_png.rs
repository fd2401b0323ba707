//! Checks a screenshot for CI's smoke test: a PNG of the expected size that is not one
//! flat colour. `cargo run --example check_png -- FILE.png WIDTH HEIGHT`

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, width, height] = args.as_slice() else {
        eprintln!("usage: check_png FILE.png WIDTH HEIGHT");
        return ExitCode::from(2);
    };
    match check(path, width, height) {
        Ok(colours) => {
            println!("{path}: ok, {colours} distinct colours");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{path}: {err}");
            ExitCode::FAILURE
        }
    }
}

fn check(path: &str, width: &str, height: &str) -> Result<usize, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .map_err(|e| e.to_string())?;
    let mut buffer = vec![0; reader.output_buffer_size().ok_or("image too large")?];
    let info = reader.next_frame(&mut buffer).map_err(|e| e.to_string())?;
    let expected = (width.parse::<u32>().ok(), height.parse::<u32>().ok());
    if expected != (Some(info.width), Some(info.height)) {
        return Err(format!(
            "size {}x{}, expected {width}x{height}",
            info.width, info.height
        ));
    }
    let colours: std::collections::HashSet<&[u8]> = buffer[..info.buffer_size()]
        .chunks(info.color_type.samples())
        .collect();
    if colours.len() < 16 {
        return Err(format!(
            "only {} colours: the screen looks blank",
            colours.len()
        ));
    }
    Ok(colours.len())
}
