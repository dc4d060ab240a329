package io.xfaas.scheduler;

import java.util.Collection;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

/**
 * What Flink's RocksDB options cannot say: a Bloom filter over each memtable's whole keys. Every
 * arrival looks up an id that is almost always new; without it a miss walks the memtable's skip
 * list (compared key by key) before the SST files' filters answer.
 */
public final class FuncBufferRocksDbOptions implements RocksDBOptionsFactory {
  private static final long serialVersionUID = 1L;

  /**
   * The filter's size as a share of the write buffer: 0.005 of 64 MB is 2.7 M bits, about ten per
   * entry for the ~250 k entries a memtable takes between two checkpoints (incremental checkpoints
   * flush it every interval). RocksDB allocates the filter with each new memtable, in every column
   * family: at 0.1 (6.4 MB each) the flushes of a small-memory MiniCluster spent their time
   * allocating filters (FairShareITCase 82 s without a filter, over 100 s at 0.1, 74 s at 0.005).
   */
  static final double MEMTABLE_BLOOM_RATIO = 0.005;

  @Override
  public DBOptions createDBOptions(DBOptions current, Collection<AutoCloseable> handlesToClose) {
    return current;
  }

  @Override
  public ColumnFamilyOptions createColumnOptions(
      ColumnFamilyOptions current, Collection<AutoCloseable> handlesToClose) {
    return current
        .setMemtablePrefixBloomSizeRatio(MEMTABLE_BLOOM_RATIO)
        .setMemtableWholeKeyFiltering(true);
  }
}
