//! What the web app's billing screens read about files: the submission batches a user may see
//! (and download), and which practices the claims an incoming file names belong to (a file is
//! posted only by someone who may work every one of them).

use sqlx::Row;

use crate::sql::id_list;
use crate::{Context, Result, Store};

/// A submission batch (one interchange of an 837 file).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchItem {
    /// ID.
    pub id: i64,
    /// ISA13.
    pub interchange_control: i64,
    /// `837P`, `837I` or `837`.
    pub kind: String,
    /// Claims in it.
    pub claim_count: i64,
    /// Their total charge.
    pub total_cents: i64,
    /// `live`, `accepted`, `rejected` or `void`.
    pub status: String,
    /// When it was recorded (RFC 3339).
    pub created_at: String,
    /// The practices of its claims.
    pub practices: Vec<i64>,
}

impl Store {
    /// The batches with at least one claim of `practices`, newest first, before batch `before`
    /// (0: from the newest).
    pub async fn batches_page(
        &self,
        practices: &[i64],
        before: i64,
        limit: i64,
    ) -> Result<Vec<BatchItem>> {
        if practices.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(&format!(
            "SELECT b.id FROM batch b WHERE ($1 = 0 OR b.id < $1) AND EXISTS (SELECT 1 FROM batch_practice bp \
             WHERE bp.batch_id = b.id AND bp.practice_id IN ({})) ORDER BY b.id DESC LIMIT $2",
            id_list(practices)
        ))
        .bind(before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .ctx("listing batches")?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            if let Some((b, _)) = self.batch_file(r.get(0)).await? {
                out.push(b);
            }
        }
        Ok(out)
    }

    /// A batch and the path of the file it was written to, if it exists.
    pub async fn batch_file(&self, id: i64) -> Result<Option<(BatchItem, String)>> {
        let Some(r) = sqlx::query(
            "SELECT id, interchange_control, kind, claim_count, total_cents, status, created_at, file_name \
             FROM batch WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .ctx("reading the batch")?
        else {
            return Ok(None);
        };
        let practices = sqlx::query(
            "SELECT practice_id FROM batch_practice WHERE batch_id = $1 ORDER BY practice_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .ctx("reading the batch's practices")?
        .iter()
        .map(|p| p.get::<i64, _>(0))
        .collect();
        Ok(Some((
            BatchItem {
                id: r.get(0),
                interchange_control: r.get(1),
                kind: r.get(2),
                claim_count: r.get(3),
                total_cents: r.get(4),
                status: r.get(5),
                created_at: r.get(6),
                practices,
            },
            r.get(7),
        )))
    }

    /// The practices of the claims submitted in functional groups with these control numbers
    /// (what a 999 acknowledges).
    pub async fn practices_of_groups(&self, groups: &[i64]) -> Result<Vec<i64>> {
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        Ok(sqlx::query(&format!(
            "SELECT DISTINCT c.practice_id FROM batch_claim bc JOIN claim c ON c.id = bc.claim_id              WHERE bc.group_control IN ({}) ORDER BY c.practice_id",
            id_list(groups)
        ))
        .fetch_all(&self.pool)
        .await
        .ctx("reading the batches a file acknowledges")?
        .iter()
        .map(|r| r.get::<i64, _>(0))
        .collect())
    }

    /// The practices of the claims with these patient control numbers (in any organization of
    /// this database); control numbers that match no claim are left out.
    pub async fn practices_of_pcns(&self, pcns: &[String]) -> Result<Vec<i64>> {
        let mut out = Vec::new();
        for chunk in pcns.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT DISTINCT practice_id FROM claim WHERE pcn IN ({})",
                marks.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for p in chunk {
                q = q.bind(p.as_str());
            }
            for r in q.fetch_all(&self.pool).await.ctx("reading the claims a file names")? {
                out.push(r.get::<i64, _>(0));
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }
}
