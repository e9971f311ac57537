// The built-in dictionary of share links (format version 3): kernel functions that commonly own
// vmalloc, ioremap and vmap areas, across kernel eras and architectures, and common module names.
// A link names a string found here by its index instead of spelling it out, which is most of what
// a small dump's link used to carry. The list is part of the format: changing it (even appending)
// changes what old links decode to, so any change needs a new SHARE_VERSION (format.ts; layout in
// docs/share-format.md, "Strings").
// Sorted (UTF-16 code unit order), unique, no whitespace; codec.test.ts checks this.

const WORDS = `
__arm64_sys_swapon __bpf_map_area_alloc __devm_ioremap __devm_ioremap_resource
__dma_direct_alloc_pages __do_sys_finit_module __do_sys_init_module __do_sys_swapon
__iommu_dma_alloc_noncontiguous __ioremap __ioremap_caller __ioremap_prot __kvm_set_memory_region
__nf_conntrack_hash_insert __pci_enable_msi_range __pci_enable_msix_range __vmalloc __vmalloc_node
__vmalloc_node_range __x64_sys_swapon _do_fork acpi_os_ioremap acpi_os_map_iomem acpi_os_map_memory
acpi_tb_acquire_table ahci alloc_insn_page alloc_iommu alloc_large_system_hash
alloc_thread_stack_node alloc_vm_area amd_iommu_init_pci amdgpu apply_relocate_add
arch_alloc_vmap_stack arch_ftrace_update_trampoline arch_prepare_bpf_trampoline array_map_alloc
atomic_pool_expand avtab_alloc binfmt_misc bio_alloc_bioset blk_mq_alloc_tag_set bluetooth bnxt_en
bpf_check bpf_jit_alloc_exec bpf_jit_binary_alloc bpf_jit_binary_pack_alloc bpf_map_area_alloc
bpf_map_area_mmapable_alloc bpf_prog_alloc bpf_prog_alloc_no_stats bpf_prog_pack_alloc
bpf_prog_realloc bpf_ringbuf_area_alloc bpf_struct_ops_map_alloc bridge btrfs bucket_table_alloc
cfg80211 cgroup_pidlist_start cifs copy_process create_trampoline crypto_scomp_init_tfm
devm_ioremap devm_ioremap_resource devm_ioremap_wc devm_memremap devm_of_iomap
devm_pci_remap_cfgspace devm_platform_ioremap_resource disksize_store dm_crypt dm_mod
dma_atomic_pool_init dma_common_contiguous_remap dma_common_pages_remap dma_direct_alloc
dmar_parse_one_drhd drm drm_gem_shmem_vmap drm_kms_helper dup_task_struct e1000 e1000_probe
e1000_setup_all_rx_resources e1000_setup_all_tx_resources e1000e e1000e_setup_rx_resources
e1000e_setup_tx_resources efi_memmap_init_late efi_runtime_map_init ena erofs
erofs_pcpubuf_growsize execmem_alloc ext4 ext4_fill_super ext4_kvmalloc fork_idle fuse
gen_pool_add_owner ghes_estatus_pool_init gic_of_init hpet_enable hpet_late_init hv_netvsc hv_vmbus
i40e i915 i915_gem_object_pin_map ice igb inet_ehash_locks_alloc init_irq_stacks
init_swap_address_space intel_iommu_init io_mem_alloc io_pages_map iommu_dma_alloc_remap ioremap
ioremap_cache ioremap_prot ioremap_wc ioremap_wt ip_tables irq_init_percpu_irqstack iwlmvm iwlwifi
ixgbe jbd2 kernel_clone kvm kvm_amd kvm_arch_alloc_vm kvm_create_vm kvm_intel kvmalloc_node
kvmalloc_node_noprof layout_and_allocate libahci libata load_module loop lz4_create mac80211
map_irq_stack md_mod memremap mlx4_core mlx5_core module_alloc module_memory_alloc move_module
n_tty_open nf_conntrack nf_ct_alloc_hashtable nf_tables nfs nfsd nouveau nvme nvme_core
nvme_pci_alloc_dev of_iomap overlay paging_init pci_ecam_create pci_iomap pci_iomap_range
pci_mmcfg_arch_init pci_mmcfg_arch_map pci_remap_cfgspace pcim_iomap pcpu_create_chunk
pcpu_get_vm_areas pcpu_mem_zalloc pcpu_populate_chunk perf_mmap policydb_read proc_sys_call_handler
qp_alloc_queue raid456 rb_alloc relay_open ringbuf_map_alloc sched_init scs_alloc scsi_mod sd_mod
sel_write_load seq_read_iter setup_swap_map_and_extents single_open_size snd_hda_intel snd_pcm
snd_pcm_lib_malloc_pages squashfs start_kernel sunrpc swap_cgroup_swapon test_vmalloc
text_poke_early trace_pid_list_alloc ttm ttm_bo_kmap tun vb2_vmalloc_alloc vcalloc_noprof vhost
vhost_dev_init vhost_net vhost_net_open virtio_blk virtio_net virtio_pci virtio_pci_modern_dev
virtio_pci_modern_probe virtio_scsi vm_map_ram vmalloc vmalloc_32 vmalloc_user vmap vmap_pfn
vmw_balloon vmw_fb_init vmw_vmci vmwgfx vp_modern_map_capability vsock vzalloc x_tables xfs
xfs_buf_alloc_pages xt_alloc_entry_offsets xt_alloc_table_info z_erofs_gbuf_growsize
zcomp_cpu_up_prepare zram zs_cpu_notifier zs_cpu_prepare zsmalloc zstd zswap_cpu_comp_prepare`;

/** The dictionary, index → string. */
export const SHARE_DICTIONARY: readonly string[] = Object.freeze(WORDS.split(/\s+/).filter((w) => w.length > 0));

/** string → index in SHARE_DICTIONARY. */
export const DICTIONARY_INDEX: ReadonlyMap<string, number> = new Map(SHARE_DICTIONARY.map((w, k) => [w, k]));
