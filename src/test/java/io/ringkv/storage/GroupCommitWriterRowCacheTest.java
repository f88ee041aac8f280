package io.ringkv.storage;

/** The whole writer contract again on LevelDB, with the writer reading through and updating a row cache. */
class GroupCommitWriterRowCacheTest extends GroupCommitWriterLevelDbTest {

  /** Unsynced: the cache is what is under test, and an fsync per batch would only slow the contract down. */
  @Override
  protected boolean sync() {
    return false;
  }

  @Override
  protected RowCache rowCache() {
    return RowCache.ofBytes(8 << 20);
  }
}
