package io.ringkv.storage;

class GroupCommitWriterMemoryTest extends GroupCommitWriterContractTest {

  @Override
  protected StorageEngine openEngine() {
    return new MemoryEngine();
  }

  @Override
  protected boolean sync() {
    return false;
  }
}
