//! Which loop of the implementation guide each segment of an 837 or 835 stands in, found from
//! the segments that open the loops (HL levels, NM1/N1 entity codes, CLM, LX, SBR, SVD, CLP, SVC).
//! Used to name the loop in findings.

use x12::Segment;

/// The loop IDs of the segments of one transaction set, in order (`""` for the header and the
/// trailer).
pub(crate) fn loop_ids(set: &[u8], segments: &[Segment<'_>]) -> Vec<&'static str> {
    match set {
        b"837" => loops_837(segments),
        b"835" => loops_835(segments),
        _ => vec![""; segments.len()],
    }
}

fn loops_837(segments: &[Segment<'_>]) -> Vec<&'static str> {
    let mut out = Vec::with_capacity(segments.len());
    let mut cur: &'static str = "";
    for s in segments {
        let e1 = s.element(1).unwrap_or_default();
        cur = match s.id() {
            b"ST" | b"BHT" | b"SE" => "",
            b"NM1" => match (e1, cur) {
                (b"41", _) => "1000A",
                (b"40", _) => "1000B",
                (b"85", _) => "2010AA",
                (b"87", _) => "2010AB",
                (b"PE", _) => "2010AC",
                (b"IL", "2320" | "2330A" | "2330B" | "2330C") => "2330A",
                (b"PR", "2320" | "2330A" | "2330B" | "2330C") => "2330B",
                (b"IL", _) => "2010BA",
                (b"PR", _) => "2010BB",
                (b"QC", _) => "2010CA",
                (b"DN" | b"P3", c) if c.starts_with("24") => "2420F",
                (b"82", c) if c.starts_with("24") => "2420A",
                (b"77", c) if c.starts_with("24") => "2420C",
                (b"DQ", c) if c.starts_with("24") => "2420D",
                (b"DN" | b"P3", _) => "2310A",
                (b"71", _) => "2310A",
                (b"82", _) => "2310B",
                (b"72", _) => "2310B",
                (b"77" | b"FA", _) => "2310C",
                (b"DQ", _) => "2310D",
                (b"ZZ", _) => "2310D",
                (b"PW", _) => "2310E",
                (b"45", _) => "2310F",
                _ => cur,
            },
            b"HL" => match s.element(3).unwrap_or_default() {
                b"20" => "2000A",
                b"22" => "2000B",
                b"23" => "2000C",
                _ => cur,
            },
            b"CLM" => "2300",
            b"SBR" if cur.starts_with("23") || cur.starts_with("2330") => "2320",
            b"LX" => "2400",
            b"SVD" => "2430",
            b"LIN" => "2410",
            _ => cur,
        };
        out.push(cur);
    }
    out
}

fn loops_835(segments: &[Segment<'_>]) -> Vec<&'static str> {
    let mut out = Vec::with_capacity(segments.len());
    let mut cur: &'static str = "";
    for s in segments {
        cur = match s.id() {
            b"ST" | b"BPR" | b"TRN" | b"CUR" | b"SE" => "",
            b"N1" => match s.element(1).unwrap_or_default() {
                b"PR" => "1000A",
                b"PE" => "1000B",
                _ => cur,
            },
            b"LX" => "2000",
            b"CLP" => "2100",
            b"SVC" => "2110",
            b"PLB" => "",
            _ => cur,
        };
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loops_of_an_837() {
        let edi = b"ISA*00*          *00*          *ZZ*A              *ZZ*B              *260101*1200*^*00501*000000001*0*T*:~\
ST*837*1~BHT*0019~NM1*41*2*S~NM1*40*2*R~HL*1**20*1~NM1*85*2*B~N3*X~HL*2*1*22*0~SBR*P*18~NM1*IL*1*D~NM1*PR*2*P~\
CLM*A*1~NM1*DN*1*R~SBR*S*18~NM1*IL*1*D~NM1*PR*2*Q~LX*1~SV1*HC:99213*1~NM1*82*1*R~SVD*Q*1~CAS*CO*45*0~SE*22*1~";
        let segs: Vec<Segment<'_>> = x12::Tokenizer::new(edi).map(Result::unwrap).skip(1).collect();
        let ids = loop_ids(b"837", &segs);
        let want = [
            "", "", "1000A", "1000B", "2000A", "2010AA", "2010AA", "2000B", "2000B", "2010BA",
            "2010BB", "2300", "2310A", "2320", "2330A", "2330B", "2400", "2400", "2420A", "2430",
            "2430", "",
        ];
        assert_eq!(ids, want);
    }
}
