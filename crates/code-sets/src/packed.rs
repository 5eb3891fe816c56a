//! Vectors of integers stored as one run of little-endian bytes in the binary form, so that
//! opening a release copies them instead of decoding millions of variable-length integers.

use std::fmt;
use std::ops::{Deref, DerefMut};

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A `Vec<u32>` serialized as little-endian bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct PackedU32(pub(crate) Vec<u32>);

/// A `Vec<u8>` serialized as bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct PackedU8(pub(crate) Vec<u8>);

impl Deref for PackedU32 {
    type Target = Vec<u32>;
    fn deref(&self) -> &Vec<u32> {
        &self.0
    }
}

impl DerefMut for PackedU32 {
    fn deref_mut(&mut self) -> &mut Vec<u32> {
        &mut self.0
    }
}

impl Deref for PackedU8 {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl DerefMut for PackedU8 {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl Serialize for PackedU32 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut bytes = Vec::with_capacity(self.0.len() * 4);
        for v in &self.0 {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        s.serialize_bytes(&bytes)
    }
}

impl Serialize for PackedU8 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

struct BytesVisitor;

impl<'de> Visitor<'de> for BytesVisitor {
    type Value = Vec<u8>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a byte string")
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
        Ok(v.to_vec())
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
        Ok(v)
    }
}

impl<'de> Deserialize<'de> for PackedU32 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PackedU32, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PackedU32;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a byte string of little-endian u32s")
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<PackedU32, E> {
                if !v.len().is_multiple_of(4) {
                    return Err(E::custom("packed u32 length is not a multiple of 4"));
                }
                Ok(PackedU32(
                    v.chunks_exact(4)
                        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                        .collect(),
                ))
            }
            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<PackedU32, E> {
                self.visit_bytes(&v)
            }
        }
        d.deserialize_bytes(V)
    }
}

impl<'de> Deserialize<'de> for PackedU8 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PackedU8, D::Error> {
        d.deserialize_byte_buf(BytesVisitor).map(PackedU8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let v = PackedU32(vec![0, 1, u32::MAX, 1 << 20]);
        let bytes = postcard::to_stdvec(&v).unwrap();
        assert_eq!(postcard::from_bytes::<PackedU32>(&bytes).unwrap(), v);
        let b = PackedU8(vec![3, 255]);
        let bytes = postcard::to_stdvec(&b).unwrap();
        assert_eq!(postcard::from_bytes::<PackedU8>(&bytes).unwrap(), b);
        assert!(postcard::from_bytes::<PackedU32>(&[3, 1, 2, 3]).is_err());
    }
}
