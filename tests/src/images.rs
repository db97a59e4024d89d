//! Real image files for media tests, made deterministically here rather
//! than committed: JPEG, PNG, WebP and GIF, a rotated JPEG carrying EXIF
//! orientation and GPS tags, and broken or hostile files.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

/// A smooth gradient, so that resizing and lossy encoding behave as on photos.
pub fn gradient(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        Rgb([
            (x * 255 / width.max(1)) as u8,
            (y * 255 / height.max(1)) as u8,
            ((x + y) % 256) as u8,
        ])
    })
}

fn encode(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, format)
        .expect("encode a fixture");
    bytes.into_inner()
}

pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encode(
        DynamicImage::ImageRgb8(gradient(width, height)),
        ImageFormat::Jpeg,
    )
}

/// A PNG whose left half is opaque red and right half transparent.
pub fn png_with_alpha(width: u32, height: u32) -> Vec<u8> {
    let image = RgbaImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgba([255, 0, 0, 255])
        } else {
            Rgba([0, 0, 0, 0])
        }
    });
    encode(DynamicImage::ImageRgba8(image), ImageFormat::Png)
}

pub fn webp(width: u32, height: u32) -> Vec<u8> {
    encode(
        DynamicImage::ImageRgb8(gradient(width, height)),
        ImageFormat::WebP,
    )
}

pub fn gif(width: u32, height: u32) -> Vec<u8> {
    encode(
        DynamicImage::ImageRgb8(gradient(width, height)),
        ImageFormat::Gif,
    )
}

/// An image in two halves along its width: `left` then `right`.
pub fn halves(width: u32, height: u32, left: [u8; 3], right: [u8; 3]) -> RgbImage {
    RgbImage::from_fn(width, height, |x, _| {
        Rgb(if x < width / 2 { left } else { right })
    })
}

pub fn png_of(image: RgbImage) -> Vec<u8> {
    encode(DynamicImage::ImageRgb8(image), ImageFormat::Png)
}

/// A JPEG stored as 64x32 pixels, left half red and right half blue, whose
/// EXIF says "rotate 90° clockwise to display" (orientation 6) and carries
/// a GPS position: shown upright it is 32x64, red on top, blue below.
pub fn rotated_jpeg_with_gps() -> Vec<u8> {
    let stored = halves(64, 32, [255, 0, 0], [0, 0, 255]);
    let jpeg = encode(DynamicImage::ImageRgb8(stored), ImageFormat::Jpeg);
    let tiff = exif_with_orientation_and_gps(6);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let length = u16::try_from(app1.len() + 2).expect("a small segment");
    let mut bytes = jpeg[..2].to_vec();
    bytes.extend_from_slice(&[0xFF, 0xE1]);
    bytes.extend_from_slice(&length.to_be_bytes());
    bytes.extend_from_slice(&app1);
    bytes.extend_from_slice(&jpeg[2..]);
    bytes
}

/// A big-endian TIFF block: IFD0 with Orientation and a GPS IFD pointer,
/// then a GPS IFD with latitude and longitude (48°51'29.6"N 2°17'40.2"E).
fn exif_with_orientation_and_gps(orientation: u16) -> Vec<u8> {
    fn entry(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]) {
        out.extend_from_slice(&tag.to_be_bytes());
        out.extend_from_slice(&kind.to_be_bytes());
        out.extend_from_slice(&count.to_be_bytes());
        out.extend_from_slice(&value);
    }
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    const ASCII: u16 = 2;
    const RATIONAL: u16 = 5;
    let ifd0 = 8u32;
    let gps = ifd0 + 2 + 2 * 12 + 4;
    let latitude = gps + 2 + 4 * 12 + 4;
    let longitude = latitude + 24;
    let mut out = b"MM\0\x2A".to_vec();
    out.extend_from_slice(&ifd0.to_be_bytes());
    out.extend_from_slice(&2u16.to_be_bytes());
    let [o1, o2] = orientation.to_be_bytes();
    entry(&mut out, 0x0112, SHORT, 1, [o1, o2, 0, 0]);
    entry(&mut out, 0x8825, LONG, 1, gps.to_be_bytes());
    out.extend_from_slice(&0u32.to_be_bytes());
    out.extend_from_slice(&4u16.to_be_bytes());
    entry(&mut out, 0x0001, ASCII, 2, *b"N\0\0\0");
    entry(&mut out, 0x0002, RATIONAL, 3, latitude.to_be_bytes());
    entry(&mut out, 0x0003, ASCII, 2, *b"E\0\0\0");
    entry(&mut out, 0x0004, RATIONAL, 3, longitude.to_be_bytes());
    out.extend_from_slice(&0u32.to_be_bytes());
    for (numerator, denominator) in [(48, 1), (51, 1), (296, 10), (2, 1), (17, 1), (402, 10)] {
        out.extend_from_slice(&u32::to_be_bytes(numerator));
        out.extend_from_slice(&u32::to_be_bytes(denominator));
    }
    out
}

/// Whether the bytes hold an EXIF block (JPEG APP1 or WebP `EXIF` chunk)
/// or the GPS tag's marker.
pub fn has_exif(bytes: &[u8]) -> bool {
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    contains(b"Exif\0\0") || contains(b"EXIF") || contains(b"MM\0\x2A") || contains(b"II\x2A\0")
}

pub fn decode(bytes: &[u8]) -> DynamicImage {
    image::load_from_memory(bytes).expect("decode a served image")
}

/// The width and height in an AVIF's `ispe` box (Cairn does not decode AVIF).
pub fn avif_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let at = bytes.windows(4).position(|w| w == b"ispe")?;
    let number = |offset: usize| {
        let slice = bytes.get(at + offset..at + offset + 4)?;
        Some(u32::from_be_bytes(slice.try_into().ok()?))
    };
    Some((number(8)?, number(12)?))
}

/// A PNG header that claims `width` x `height` pixels, followed by a tiny
/// data chunk: decoding it for real would need tens of gigabytes.
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut bytes, b"IHDR", &header);
    chunk(
        &mut bytes,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut bytes, b"IEND", &[]);
    bytes
}

/// A valid PNG with one byte of its image data flipped: its checksum fails.
pub fn corrupt_png() -> Vec<u8> {
    let mut bytes = png_of(halves(32, 32, [0, 200, 0], [0, 0, 200]));
    let at = bytes
        .windows(4)
        .position(|w| w == b"IDAT")
        .expect("an IDAT chunk")
        + 8;
    bytes[at] ^= 0xFF;
    bytes
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(
        &u32::try_from(data.len())
            .expect("a small chunk")
            .to_be_bytes(),
    );
    let mut checked = kind.to_vec();
    checked.extend_from_slice(data);
    out.extend_from_slice(&checked);
    out.extend_from_slice(&crc32(&checked).to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The start of an MP4 file (an `ftyp` box) and `length` bytes of payload.
pub fn mp4(length: usize) -> Vec<u8> {
    let mut bytes = vec![0, 0, 0, 0x18];
    bytes.extend_from_slice(b"ftypisom\0\0\x02\0isomiso2");
    bytes.extend((0..length).map(|i| (i % 251) as u8));
    bytes
}

/// A minimal PDF document.
pub fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}
