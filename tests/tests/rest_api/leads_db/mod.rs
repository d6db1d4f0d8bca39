//! Area A (Lead Database): leads, lead fields, activities, custom activities,
//! static lists (lead side), campaigns and usage, through the generated client.

mod activities;
mod leads;
mod lists;
mod programs;
